"""The season classifier over real-style shop titles, and the coming-season calendar."""

from __future__ import annotations

from datetime import date

import pytest

from watchers.season.calendar import SEASONS, SeasonTag, classify, coming_season, current_season

SP, SU, AU, WI = "spring", "summer", "autumn", "winter"
NONE: tuple[str, ...] = ()

# (id, title, seasons, clearance)
TITLES: list[tuple[str, str, tuple[str, ...], bool]] = [
    # spring
    ("cn_spring_year_shirt", "2026春装新款韩版宽松显瘦百搭长袖衬衫女", (SP,), False),
    ("cn_early_spring_trench", "早春新款风衣外套女中长款气质", (SP,), False),
    ("cn_spring_season_jacket", "春季新款男士休闲夹克潮牌宽松", (SP,), False),
    ("cn_spring_new_cardigan", "2026春新款针织开衫女外搭薄款", (SP,), False),
    ("cn_spring_style_blazer", "春款小香风外套女短款名媛", (SP,), False),
    ("cn_first_spring_hoodie", "初春薄款卫衣女连帽宽松", (SP,), False),
    ("cn_spring_day_dress", "春天穿的连衣裙女2026新款法式", (SP,), False),
    ("cn_spring_floral_skirt", "春日碎花半身裙女a字", (SP,), False),
    ("cn_short_year_spring", "26春 新款直筒牛仔裤女", (SP,), False),
    ("cn_year_nian_spring", "2026年春季新品 男装 休闲裤", (SP,), False),
    ("cn_spaced_spring", "2026 春 新款 百搭 白衬衫", (SP,), False),
    ("cn_spring_drop", "春上新 复古格纹西装外套女", (SP,), False),
    ("cn_brand_spring_jacket", "波司登春季轻薄夹克男", (SP,), False),
    ("cn_market_brand_spring", "四季青2026春装新款连衣裙", (SP,), False),
    ("cn_tmall_spring_knit", "【天猫】ONLY2026春季新款圆领针织衫女", (SP,), False),
    ("en_spring_midi", "Women's Spring Floral Midi Dress", (SP,), False),
    ("en_spring_collection", "Spring Collection Linen Blazer", (SP,), False),
    ("en_spring_jacket", "Men's Lightweight Spring Jacket – Olive", (SP,), False),
    ("en_pre_spring", "Pre-Spring Cropped Trench", (SP,), False),
    ("en_spring_apostrophe", "Spring’s Favourite Shirt Dress", (SP,), False),
    # summer
    ("cn_summer_chiffon", "2026夏装新款女装雪纺连衣裙", (SU,), False),
    ("cn_summer_ice_silk", "夏季冰丝阔腿裤女高腰垂感", (SU,), False),
    ("cn_midsummer_tee", "盛夏新款纯棉短袖T恤男", (SU,), False),
    ("cn_summer_style_sun", "夏款薄款防晒衣女upf50+", (SU,), False),
    ("cn_early_summer_top", "初夏法式方领泡泡袖上衣", (SU,), False),
    ("cn_summer_day_slip", "夏天穿的碎花吊带裙", (SU,), False),
    ("cn_summer_holiday", "夏日度假风沙滩裙长款", (SU,), False),
    ("cn_summer_new_shorts", "2026夏新款男士短裤五分", (SU,), False),
    ("cn_short_year_summer", "26夏 新款 polo衫男", (SU,), False),
    ("cn_summer_drop", "夏上新 镂空针织开衫", (SU,), False),
    ("cn_jd_summer", "京东自营 优衣库 夏季 男装 AIRism 圆领T恤", (SU,), False),
    ("en_summer_shorts", "Summer Linen Shorts for Men", (SU,), False),
    ("en_summer_maxi", "Women's Summer Maxi Dress Boho", (SU,), False),
    ("en_summer_upper", "SUMMER ESSENTIALS Tank Top", (SU,), False),
    # autumn
    ("cn_autumn_hoodie", "秋装新款女2026卫衣宽松", (AU,), False),
    ("cn_early_autumn_knit", "初秋新款针织开衫外套", (AU,), False),
    ("cn_early_autumn_shirt", "早秋复古衬衫女长袖", (AU,), False),
    ("cn_autumn_jacket", "秋季新款男士夹克外套", (AU,), False),
    ("cn_autumn_trousers", "秋款休闲裤男直筒", (AU,), False),
    ("cn_late_autumn_thick", "深秋加厚毛衣女高领", (AU,), False),
    ("cn_autumn_day_trench", "秋天穿搭风衣女", (AU,), False),
    ("cn_autumn_new_skirt", "2026秋新品 学院风百褶裙", (AU,), False),
    ("cn_year_autumn_spaced", "2025秋 连帽卫衣男", (AU,), False),
    ("cn_solar_term_autumn", "立秋新款 复古针织马甲", (AU,), False),
    ("en_fall_cardigan", "Women's Fall Cardigan Sweater", (AU,), False),
    ("en_autumn_flannel", "Autumn Plaid Flannel Shirt", (AU,), False),
    ("en_fall_year", "Fall 2026 Collection Wool Trousers", (AU,), False),
    ("en_pre_fall", "Pre-Fall Trench Coat", (AU,), False),
    # winter
    ("cn_winter_down", "冬季加厚羽绒服女中长款", (WI,), False),
    ("cn_winter_cotton", "冬装新款棉服男", (WI,), False),
    ("cn_fleece_hoodie", "加绒卫衣女宽松ins潮", (WI,), False),
    ("cn_winter_style_coat", "冬款毛呢大衣女", (WI,), False),
    ("cn_first_winter_knit", "初冬针织毛衣女", (WI,), False),
    ("cn_winter_day_pants", "冬天保暖加厚棉裤", (WI,), False),
    ("cn_cold_winter_down", "寒冬必备长款羽绒服", (WI,), False),
    ("cn_winter_new_cashmere", "2026冬新款 羊绒大衣", (WI,), False),
    ("cn_fleece_jeans", "加绒加厚牛仔裤女高腰", (WI,), False),
    ("cn_winter_day_sweater", "冬日暖阳毛衣女", (WI,), False),
    ("en_winter_parka", "Men's Winter Parka Hooded", (WI,), False),
    ("en_winter_beanie", "Winter Wool Beanie Hat", (WI,), False),
    ("en_winters_coat", "The Winter's Tale Wool Coat", (WI,), False),
    # two seasons
    ("cn_spring_summer", "春夏新款薄款针织衫女", (SP, SU), False),
    ("cn_spring_autumn", "春秋款男士夹克", (SP, AU), False),
    ("cn_spring_autumn_season", "春秋季薄款卫衣", (SP, AU), False),
    ("cn_autumn_winter_lamb", "秋冬加厚羊羔毛外套男", (AU, WI), False),
    ("cn_autumn_winter_base", "秋冬季高领打底衫女", (AU, WI), False),
    ("cn_year_autumn_winter", "2026秋冬新款羊毛大衣", (AU, WI), False),
    ("cn_spaced_autumn_winter", "秋冬 加绒 卫衣", (AU, WI), False),
    ("cn_short_year_two", "26秋冬 毛衣 女", (AU, WI), False),
    ("cn_three_seasons", "春秋冬三季外套", (SP, AU, WI), False),
    ("en_spring_ss", "Women's Spring Floral Midi Dress SS26", (SP, SU), False),
    ("en_ss_code", "SS25 Poplin Shirt", (SP, SU), False),
    ("en_fullwidth_ss", "ＳＳ２６ 亚麻衬衫", (SP, SU), False),
    ("en_fw_code", "FW26 Cashmere Overcoat", (AU, WI), False),
    ("en_aw_code", "AW25 Chunky Knit", (AU, WI), False),
    ("en_aw_apostrophe_year", "AW'26 Merino Roll Neck", (AU, WI), False),
    ("en_spring_summer_slash", "Spring/Summer Cotton Tee", (SP, SU), False),
    ("en_fall_winter_slash", "Fall/Winter Wool Coat", (AU, WI), False),
    ("en_autumn_winter_dash", "Autumn-Winter Knit Scarf", (AU, WI), False),
    ("en_s_slash_s", "S/S Linen Shirt", (SP, SU), False),
    # no season
    ("cn_all_season", "四季通用休闲裤男", NONE, False),
    ("cn_all_season_style", "四季款纯棉袜子5双装", NONE, False),
    ("cn_all_year", "一年四季都能穿的牛仔外套", NONE, False),
    ("cn_all_four_named", "春夏秋冬都能穿 百搭 小白鞋", NONE, False),
    ("cn_all_season_beats_spring", "四季款 春装 打底裤", NONE, False),
    ("cn_youth", "青春学生卫衣新款", NONE, False),
    ("cn_youth_new_style", "青春新款运动服套装", NONE, False),
    ("cn_lunar_new_year_new", "新春新款红色毛衣本命年", NONE, False),
    ("cn_spring_festival", "春节不打烊 男士羊毛衫", NONE, False),
    ("cn_brand_qiushui", "秋水伊人 连衣裙 女 气质", NONE, False),
    ("cn_market_sijiqing", "四季青 女装 连衣裙", NONE, False),
    ("cn_tee_item_type", "纯棉短袖T恤男圆领", NONE, False),
    ("cn_down_item_type", "长款羽绒服女过膝", NONE, False),
    ("cn_hawaii", "夏威夷花衬衫男", NONE, False),
    ("cn_mid_autumn", "中秋节礼盒 真丝围巾", NONE, False),
    ("cn_anime_kasukabe", "蜡笔小新春日部 T恤", NONE, False),
    ("cn_price_before_brand", "满99 夏普联名T恤", NONE, False),
    ("cn_long_johns", "秋衣秋裤套装男", NONE, False),
    ("en_waterfall", "Waterfall Cardigan", NONE, False),
    ("en_spring_loaded", "Spring-loaded clip", NONE, False),
    ("en_spring_loaded_spaced", "Spring Loaded Hair Clip Set", NONE, False),
    ("en_hot_springs", "Hot Springs Souvenir T-Shirt", NONE, False),
    ("en_springfield", "Springfield Varsity Hoodie", NONE, False),
    ("en_box_spring", "Box Spring Mattress Cover", NONE, False),
    ("en_anti_fall", "Anti-Fall Phone Lanyard", NONE, False),
    ("en_fall_protection", "Fall Protection Safety Harness", NONE, False),
    ("en_fall_in_love", "Fall in Love Graphic Tee", NONE, False),
    ("en_free_fall", "Free Fall Skydiving Tee", NONE, False),
    ("en_all_season", "All-Season Stretch Chinos", NONE, False),
    ("en_year_round", "Year-Round Merino Tee", NONE, False),
    ("en_four_seasons", "Four Seasons Hotel Robe", NONE, False),
    ("en_plain_tee", "Classic Crew Neck T-Shirt", NONE, False),
    ("en_puffer", "Down Puffer Jacket", NONE, False),
    ("en_ss_steel", "SS Steel Watch Band", NONE, False),
    ("en_summery", "Summery Yellow Blouse", NONE, False),
    # clearance
    ("cn_off_season_down", "反季清仓羽绒服女短款", NONE, True),
    ("cn_off_season_winter", "反季冬季加厚羽绒服 清仓", (WI,), True),
    ("cn_broken_sizes_spring", "断码特价 春装衬衫", (SP,), True),
    ("cn_special_clearance", "特价清仓 夏季连衣裙", (SU,), True),
    ("cn_leftover_stock", "尾货处理 秋冬毛衣", (AU, WI), True),
    ("cn_bargain_sizes", "捡漏 断码 运动鞋", NONE, True),
    ("en_clearance_coat", "Clearance Winter Coat", (WI,), True),
    ("en_final_sale", "Final Sale – Summer Dress", (SU,), True),
    ("en_end_of_season", "End of Season Sale Knitwear", NONE, True),
    ("en_closeout", "Closeout Spring Jacket", (SP,), True),
]


def test_the_table_is_large_and_ids_are_unique() -> None:
    assert len(TITLES) >= 100
    assert len({case[0] for case in TITLES}) == len(TITLES)


@pytest.mark.parametrize(("title", "seasons", "clearance"), [c[1:] for c in TITLES],
                         ids=[c[0] for c in TITLES])
def test_classify_title(title: str, seasons: tuple[str, ...], clearance: bool) -> None:
    assert classify(title) == SeasonTag(frozenset(seasons), clearance)


TAGGED = [
    ("tag_code", "Linen Shirt", ("SS26",), None, (SP, SU), False),
    ("product_type", "Wool Coat", (), "Winter Coats", (WI,), False),
    ("tag_clearance", "Basic Tee", ("clearance",), None, NONE, True),
    ("hyphenated_tag", "Cardigan", ("spring-summer", "new"), None, (SP, SU), False),
    ("all_season_tag_wins", "Tee", ("all-season",), "Spring", NONE, False),
    ("tags_do_not_glue_onto_title", "Shirt 26", ("春",), None, NONE, False),
    ("cn_tag", "连衣裙", ("2026秋冬",), None, (AU, WI), False),
]


@pytest.mark.parametrize(("title", "tags", "product_type", "seasons", "clearance"),
                         [c[1:] for c in TAGGED], ids=[c[0] for c in TAGGED])
def test_classify_reads_tags_and_product_type(title: str, tags: tuple[str, ...],
                                              product_type: str | None,
                                              seasons: tuple[str, ...], clearance: bool) -> None:
    assert classify(title, tags, product_type) == SeasonTag(frozenset(seasons), clearance)


SPRING_ONLY = {"spring": ["春装", "春季", "spring"]}
CUSTOM = [
    ("replaced_list_drops_builtin_word", SPRING_ONLY, "早春新款风衣外套", NONE),
    ("replaced_list_keeps_its_words", SPRING_ONLY, "2026春装新款衬衫", (SP,)),
    ("other_seasons_keep_builtin", SPRING_ONLY, "秋冬加厚外套", (AU, WI)),
    ("shared_compound_stays_with_other_season", SPRING_ONLY, "春夏新款针织衫", (SU,)),
    ("code_reads_as_season_word", SPRING_ONLY, "SS26 Poplin Shirt", (SP, SU)),
    ("year_char_reads_as_season_word", SPRING_ONLY, "26春 新款衬衫", (SP,)),
    ("item_type_made_a_season_word", {"winter": ["羽绒服"]}, "长款羽绒服女", (WI,)),
    ("replaced_winter_drops_builtin", {"winter": ["羽绒服"]}, "冬季毛呢外套", NONE),
    ("empty_list_turns_season_off", {"spring": []}, "2026春装新款", NONE),
    ("latin_custom_word_whole", {"summer": ["beach"]}, "Beach Dress", (SU,)),
    ("latin_custom_word_not_inside", {"summer": ["beach"]}, "Beachwear Set", NONE),
]


@pytest.mark.parametrize(("keywords", "title", "seasons"), [c[1:] for c in CUSTOM],
                         ids=[c[0] for c in CUSTOM])
def test_configured_keywords_replace_one_season(keywords: dict[str, list[str]], title: str,
                                                seasons: tuple[str, ...]) -> None:
    assert classify(title, keywords=keywords).seasons == frozenset(seasons)


def test_classify_never_raises_on_odd_text() -> None:
    for text in ("", " ", "\x00\ufffd", "春" * 5000, "2026", "ss", "|||"):
        assert isinstance(classify(text, ("", " "), ""), SeasonTag)


COMING = [
    ("jan_north", date(2027, 1, 10), "north", SP),
    ("feb_end_north", date(2026, 2, 28), "north", SP),
    ("mar_1_north", date(2026, 3, 1), "north", SU),
    ("may_31_north", date(2026, 5, 31), "north", SU),
    ("jun_1_north", date(2026, 6, 1), "north", AU),
    ("aug_31_north", date(2026, 8, 31), "north", AU),
    ("sep_1_north", date(2026, 9, 1), "north", WI),
    ("nov_30_north", date(2026, 11, 30), "north", WI),
    ("dec_1_north", date(2026, 12, 1), "north", SP),
    ("dec_2_north_winter_has_begun", date(2026, 12, 2), "north", SP),
    ("dec_31_north", date(2026, 12, 31), "north", SP),
    ("leap_day_north", date(2028, 2, 29), "north", SP),
    ("jan_south", date(2027, 1, 10), "south", AU),
    ("apr_south", date(2026, 4, 1), "south", WI),
    ("jul_south", date(2026, 7, 1), "south", SP),
    ("oct_south", date(2026, 10, 1), "south", SU),
]


@pytest.mark.parametrize(("today", "hemisphere", "season"), [c[1:] for c in COMING],
                         ids=[c[0] for c in COMING])
def test_coming_season(today: date, hemisphere: str, season: str) -> None:
    assert coming_season(today, hemisphere) == season


CURRENT = [
    ("jan_north", date(2026, 1, 15), "north", WI),
    ("feb_end_north", date(2026, 2, 28), "north", WI),
    ("mar_1_north", date(2026, 3, 1), "north", SP),
    ("may_31_north", date(2026, 5, 31), "north", SP),
    ("jun_1_north", date(2026, 6, 1), "north", SU),
    ("sep_1_north", date(2026, 9, 1), "north", AU),
    ("nov_30_north", date(2026, 11, 30), "north", AU),
    ("dec_1_north", date(2026, 12, 1), "north", WI),
    ("jan_south", date(2026, 1, 15), "south", SU),
    ("jul_south", date(2026, 7, 1), "south", WI),
]


@pytest.mark.parametrize(("today", "hemisphere", "season"), [c[1:] for c in CURRENT],
                         ids=[c[0] for c in CURRENT])
def test_current_season(today: date, hemisphere: str, season: str) -> None:
    assert current_season(today, hemisphere) == season


@pytest.mark.parametrize("hemisphere", ["north", "south"])
def test_coming_season_is_always_the_next_one_never_one_that_has_begun(hemisphere: str) -> None:
    day = date(2026, 1, 1)
    order = list(SEASONS)
    while day.year == 2026:
        now, coming = current_season(day, hemisphere), coming_season(day, hemisphere)
        assert coming == order[(order.index(now) + 1) % 4], day
        day = date.fromordinal(day.toordinal() + 1)


def test_unknown_hemisphere_is_refused() -> None:
    with pytest.raises(ValueError, match="hemisphere"):
        coming_season(date(2026, 1, 1), "east")
