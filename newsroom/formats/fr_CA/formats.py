# French as Canadian newsrooms write it (OQLF, Radio-Canada): "6 janvier 2026", "9 h 30",
# "4,2", "1 234". Django picks this module for "fr-ca" through FORMAT_MODULE_PATH before its own
# fr_CA and fr modules; anything not set here falls through to Django's fr_CA (input formats).
# The spaces inside a time and the thousands separator are no-break spaces (U+00A0), so that
# "9 h 30" and "1 234" never break across lines; dates keep ordinary spaces.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
