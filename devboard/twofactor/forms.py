from django import forms

from . import devices

WRONG_CODE = (
    "That code did not work. Enter the code your authenticator app shows now "
    "(it changes every 30 seconds), or one of your unused backup codes."
)


def too_many(error: devices.TooManyAttempts) -> str:
    return f"Too many wrong codes in a row. Wait {error.seconds} seconds, then try again."


class CodeForm(forms.Form):
    """A code from the person's authenticator app or one of their backup codes, checked against their devices."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code from your authenticator app, or a backup code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        try:
            self.device = devices.verify(self.user, code)
        except devices.TooManyAttempts as error:
            raise forms.ValidationError(too_many(error), code="throttled") from None
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong")
        return code


class SetUpForm(forms.Form):
    """The first code from a new authenticator app, which proves it was set up correctly."""

    code = forms.CharField(
        label="Code from the app",
        max_length=12,
        help_text="The 6-digit code your authenticator app shows for devboard.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.backup_codes: list[str] = []

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        try:
            codes = devices.confirm_set_up(self.device, code)
        except devices.TooManyAttempts as error:
            raise forms.ValidationError(too_many(error), code="throttled") from None
        if codes is None:
            raise forms.ValidationError(
                "That code did not match. Check that the app shows devboard, enter its newest code, "
                "and make sure the time on your phone is set automatically.",
                code="wrong",
            )
        self.backup_codes = codes
        return code
