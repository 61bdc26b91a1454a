"""Personal data never reaches the logs: a logging filter, installed on every handler in settings.LOGGING, that masks
CCCD numbers (12 digits), Vietnamese mobile numbers and e-mail addresses in each record's message, its traceback
and its stack (`kernel.personal_data.mask`).

Names cannot be recognised by a pattern: code must not log them (log ids, codes and counts instead).
"""

import logging

from civicdesk.kernel.personal_data import mask


class MaskPersonalData(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: the handler reports it as it would
            return True
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True
