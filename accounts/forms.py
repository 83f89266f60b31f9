"""The login form, bounded before anything reads the username."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form sets the username's max_length after the field is built, so the
    length is shown to the browser but never checked: an overlong name reached
    `authenticate` and django-axes failed to record the attempt (a 500 on PostgreSQL).
    Checked here, a name no account can have fails as a wrong login does (the form's
    clean() authenticates only a username that passed its field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
