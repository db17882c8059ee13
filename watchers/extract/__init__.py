"""What the platform readers share: text and price parsing, encodings, block pages,
schema.org and microdata, script data. Pure functions; no reader lives here.
"""
