"""Django's password length rule with its message in Vietnamese: Django's own Vietnamese catalogue
lacks that sentence, so a short password was refused in English."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("Mật khẩu này quá ngắn: cần ít nhất %(n)s ký tự.") % {"n": self.min_length}
