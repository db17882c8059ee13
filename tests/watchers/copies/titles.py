"""Labelled titles for same-style detection: our heroes' titles, copies and near misses.

Each hero title is written as its keyword phrases ("|"-separated), the way shops build
titles. Copies are what copy listings do to it: shop boilerplate around it, phrases
reordered, a synonym or two, keywords stuffed, full-width letters. Near misses are other
products of the same category: one attribute changed (gender, material, model or size),
a generic category title, and hand-written neighbours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class HeroTitle:
    """One hero title in one language, with what copies and near misses change in it."""

    lang: str
    phrases: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...]  # phrase -> a word copies use instead
    swap: tuple[str, str]  # phrase -> the attribute of a different product
    generic: str  # the bare category: not our product
    near: tuple[str, ...]  # hand-written: same category, another product

    @property
    def title(self) -> str:
        """The title as our listing shows it."""
        return ("" if self.lang == "zh" else " ").join(self.phrases)


def _zh(phrases: str, synonyms: dict[str, str], swap: tuple[str, str], generic: str,
        *near: str) -> HeroTitle:
    return HeroTitle("zh", tuple(phrases.split("|")), tuple(synonyms.items()), swap,
                     generic, near)


def _en(phrases: str, synonyms: dict[str, str], swap: tuple[str, str], generic: str,
        *near: str) -> HeroTitle:
    return HeroTitle("en", tuple(phrases.split("|")), tuple(synonyms.items()), swap,
                     generic, near)


# Index i is hero i of tests.watchers.copies.dataset (the same categories in the same order).
HERO_TITLES: tuple[tuple[HeroTitle, HeroTitle], ...] = (
    (_zh("碎花|雪纺|连衣裙|女|夏季|中长款|收腰|显瘦|A字裙", {"连衣裙": "裙子", "显瘦": "遮肉"},
         ("雪纺", "真丝"), "连衣裙女", "纯色雪纺连衣裙女夏季短款吊带裙", "碎花衬衫女夏季宽松上衣"),
     _en("Women's|Floral|Chiffon|Midi|Dress|Summer|Waisted|A-Line", {"Dress": "Sundress"},
         ("Chiffon", "Silk"), "Women's Dress", "Women's Solid Chiffon Mini Slip Dress Summer",
         "Floral Chiffon Blouse Women Summer Loose Top")),
    (_zh("真皮|休闲鞋|男士|软底|豆豆鞋|一脚蹬|驾车鞋", {"休闲鞋": "皮鞋", "一脚蹬": "懒人鞋"},
         ("男士", "女士"), "男士皮鞋", "真皮商务皮鞋男士系带正装鞋", "男士运动鞋透气网面跑步鞋"),
     _en("Men's|Leather|Loafers|Soft Sole|Slip-On|Driving Shoes", {"Loafers": "Moccasins"},
         ("Men's", "Women's"), "Men's Shoes", "Men's Leather Oxford Dress Shoes Lace-Up Formal",
         "Men's Mesh Running Sneakers Breathable Sport Shoes")),
    (_zh("托特包|女|大容量|通勤|单肩包|帆布|手提包", {"手提包": "手拎包", "大容量": "能装"},
         ("帆布", "真皮"), "女士包包", "帆布双肩包女学生书包大容量", "小方包女斜挎包链条包"),
     _en("Women's|Canvas|Tote Bag|Large Capacity|Shoulder|Handbag|for Work",
         {"Handbag": "Purse"}, ("Canvas", "Leather"), "Women's Bag",
         "Women's Canvas Backpack School Bag Large Capacity",
         "Women's Small Crossbody Bag Chain Shoulder Purse")),
    (_zh("陶瓷|马克杯|带盖勺|北欧|简约|咖啡杯|家用|水杯|400ml", {"咖啡杯": "茶杯"},
         ("陶瓷", "玻璃"), "马克杯", "陶瓷碗家用北欧简约饭碗套装", "不锈钢咖啡杯带盖车载随行杯"),
     _en("Ceramic|Coffee Mug|with Lid and Spoon|Nordic|Minimalist|400ml|Cup",
         {"Minimalist": "Minimal"}, ("Ceramic", "Glass"), "Coffee Mug",
         "Ceramic Bowl Set Nordic Minimalist Dinnerware", "Stainless Steel Travel Mug with Lid")),
    (_zh("不锈钢|保温杯|男女|学生|便携|大容量|水杯|500ml", {"水杯": "杯子", "便携": "随身"},
         ("500ml", "1000ml"), "保温杯", "不锈钢焖烧杯大容量饭盒保温桶",
         "儿童保温杯带吸管幼儿园水壶"),
     _en("Stainless Steel|Insulated|Water Bottle|500ml|Leakproof|Vacuum Flask",
         {"Flask": "Thermos"}, ("500ml", "1000ml"), "Water Bottle",
         "Stainless Steel Food Jar Insulated Lunch Box", "Kids Insulated Water Bottle with Straw")),
    (_zh("LED|护眼|台灯|学生|宿舍|卧室|床头|阅读灯|可充电|T5", {"阅读灯": "看书灯"},
         ("T5", "T8"), "台灯", "LED吸顶灯卧室客厅灯具", "学生护眼台灯插电款书桌灯T8"),
     _en("LED|Desk Lamp|Eye Protection|Rechargeable|Reading Light|T5|for Dorm Bedroom",
         {"Reading": "Book"}, ("T5", "T8"), "Desk Lamp", "LED Ceiling Light Bedroom Fixture",
         "Plug-in Desk Lamp Clamp Study Light T8")),
    (_zh("法式|复古|方领|泡泡袖|连衣裙|女|春秋|长裙", {"长裙": "长款裙", "复古": "古着风"},
         ("女", "女童"), "长裙女", "法式复古V领碎花半身裙女", "韩版方领短袖T恤女夏季"),
     _en("French|Vintage|Square Neck|Puff Sleeve|Maxi Dress|for Women",
         {"Vintage": "Retro"}, ("for Women", "for Girls"), "Maxi Dress",
         "French Vintage V-Neck Floral Midi Skirt", "Square Neck Short Sleeve T-Shirt Women")),
    (_zh("女童|运动鞋|透气|网面|软底|跑步鞋|儿童|小白鞋", {"运动鞋": "球鞋"},
         ("女童", "男童"), "儿童鞋", "女童凉鞋夏季软底公主鞋", "儿童雨靴防滑水鞋"),
     _en("Girls|Breathable|Mesh|Running Shoes|Soft Sole|Kids|White Sneakers",
         {"Sneakers": "Trainers"}, ("Girls", "Boys"), "Kids Shoes",
         "Girls Summer Sandals Soft Sole Princess Shoes", "Kids Rain Boots Non-Slip")),
    (_zh("真皮|男士|双肩包|商务|电脑包|15.6寸|大容量|背包", {"电脑包": "笔记本包"},
         ("真皮", "帆布"), "双肩包", "男士真皮公文包手提商务包", "真皮男士腰包胸包斜挎包"),
     _en("Men's|Leather|Laptop Backpack|15.6 Inch|Business|Travel Bag", {"Travel": "Trip"},
         ("Leather", "Canvas"), "Backpack", "Men's Leather Briefcase Business Handbag",
         "Men's Leather Chest Bag Crossbody Sling")),
    (_zh("玻璃|双层|隔热杯|咖啡杯|带把|透明|马克杯|350ml", {"透明": "通透"},
         ("玻璃", "陶瓷"), "咖啡杯", "玻璃茶壶耐高温泡茶壶过滤", "双层不锈钢隔热碗儿童饭碗"),
     _en("Double Wall|Glass|Coffee Mug|with Handle|Clear|Insulated Cup|350ml",
         {"Clear": "Transparent"}, ("Glass", "Ceramic"), "Coffee Cup",
         "Glass Teapot Heat Resistant with Infuser", "Double Wall Stainless Steel Kids Bowl")),
    (_zh("运动|水杯|塑料|大容量|吸管杯|男|健身|水壶|2升", {"水壶": "水瓶", "健身": "锻炼"},
         ("男", "女"), "运动水杯", "运动护腕男健身篮球护具", "塑料收纳箱大容量整理箱"),
     _en("Sports|Water Bottle|2L|Plastic|with Straw|Large Capacity|Gym Jug|for Men",
         {"Jug": "Bottle"}, ("for Men", "for Women"), "Sports Bottle",
         "Sports Wristband for Men Gym Basketball", "Plastic Storage Box Large Capacity")),
    (_zh("北欧|实木|落地灯|客厅|卧室|立式|氛围灯|遥控|调光", {"氛围灯": "装饰灯"},
         ("实木", "金属"), "落地灯", "北欧实木吊灯餐厅灯具", "客厅卧室遥控吸顶灯调光"),
     _en("Nordic|Solid Wood|Floor Lamp|Remote|Dimmable|Living Room|Standing Light",
         {"Standing": "Upright"}, ("Solid Wood", "Metal"), "Floor Lamp",
         "Nordic Solid Wood Pendant Light Dining Room", "Remote Dimmable Ceiling Light")),
)

BOILERPLATE = {
    "zh": ("包邮", "正品", "2026新款", "2025年新款", "官方旗舰店", "现货", "爆款", "特价",
           "清仓", "【限时秒杀】", "【顺丰包邮】", "顺丰", "网红同款"),
    "en": ("Free Shipping", "Official Store", "Hot Sale", "New Arrival", "2026 New",
           "【Clearance】", "Best Seller", "Brand New"),
}
STUFFING = {"zh": ("韩版", "百搭", "ins风", "高级感"), "en": ("Trendy", "Gift", "Cute")}
_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}  # ASCII -> full-width forms


@dataclass(frozen=True)
class Title:
    """One labelled candidate title: whose copy it is (None: another product)."""

    name: str
    lang: str
    copy_of: int | None
    text: str


def _join(lang: str, parts: list[str]) -> str:
    return ("" if lang == "zh" else " ").join(parts)


def _wrap(rng: random.Random, hero: HeroTitle, parts: list[str]) -> str:
    words = list(BOILERPLATE[hero.lang])
    front, back = rng.sample(words, 2)
    return _join(hero.lang, [front, *parts, back] if rng.random() < 0.5 else [front, *parts])


def copies_of(index: int, hero: HeroTitle) -> list[Title]:
    """What copy listings make of our title."""
    rng = random.Random(f"{hero.lang}:{index}")
    phrases = list(hero.phrases)
    shuffled = phrases[:]
    rng.shuffle(shuffled)
    first_synonym = dict(hero.synonyms[:1])
    synonyms = [dict(hero.synonyms).get(p, p) for p in phrases]
    one_synonym = [first_synonym.get(p, p) for p in phrases]
    stuffed = [*one_synonym, *rng.sample(STUFFING[hero.lang], 2)]
    variants = {
        "boilerplate": _wrap(rng, hero, phrases),
        "reordered": _wrap(rng, hero, shuffled),
        "synonyms": _wrap(rng, hero, synonyms),
        "stuffed": _join(hero.lang, [rng.choice(BOILERPLATE[hero.lang]), *stuffed]),
        "full_width_spaced": " ".join(p.translate(_FULL_WIDTH)
                                      for p in one_synonym),
    }
    return [Title(f"{hero.lang}{index}:{k}", hero.lang, index, v) for k, v in variants.items()]


def near_misses(index: int, hero: HeroTitle) -> list[Title]:
    """Other products of our category, some one attribute away from ours."""
    rng = random.Random(f"near:{hero.lang}:{index}")
    old, new = hero.swap
    swapped = [new if p == old else p for p in hero.phrases]
    out = {"swapped": _wrap(rng, hero, swapped), "generic": _wrap(rng, hero, [hero.generic])}
    out.update({f"near{k}": text for k, text in enumerate(hero.near)})
    return [Title(f"{hero.lang}{index}:{k}", hero.lang, None, v) for k, v in out.items()]


def labelled(lang: str) -> tuple[list[str], list[Title]]:
    """Our titles in `lang` and every candidate title (copies of each hero and near misses)."""
    heroes = [pair[0] if pair[0].lang == lang else pair[1] for pair in HERO_TITLES]
    candidates = [t for i, h in enumerate(heroes) for t in copies_of(i, h) + near_misses(i, h)]
    return [h.title for h in heroes], candidates
