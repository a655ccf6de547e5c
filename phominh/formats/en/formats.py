"""English interface, Vietnamese figures and dates (issue 10, item 4; see phominh/language.py).

The English interface shows numbers and dates exactly as the Vietnamese one (4.176; 2,57; 04/01/2024):
figures are typed and read back in Vietnamese format (indicators.validation.parse_number, the Excel
template), the entry form is pre-filled with `format_number()`, and the ward's documents use these
forms. Django's own "en" formats (4,176.5; 01/04/2024) would make a pre-filled "705.6" unreadable
on saving and turn 4 January into 1 April.
"""

from phominh.formats.vi.formats import *  # noqa: F403
