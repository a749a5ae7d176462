"""CSV cells that open safely in a spreadsheet: letters' and booklet orders' exports."""

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # without it Excel reads UTF-8 as Windows-1252 and mangles accents


def neutralise(value: str) -> str:
    """The cell's text, made inert: a leading quote keeps a spreadsheet from evaluating it."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
