# German newspapers: "5. Dezember 2026, 09:16 Uhr" in running text, "05.12.2026 09:16" in tables.
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y, H:i \U\h\r"
TIME_FORMAT = r"H:i \U\h\r"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
