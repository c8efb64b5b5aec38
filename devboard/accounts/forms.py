from django import forms


class DeleteAccountForm(forms.Form):
    """Confirms with the password; an account that signs in only elsewhere (no password here) types its username."""

    confirmation = forms.CharField(strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["confirmation"]
        if user.has_usable_password():
            field.label = "Your password"
            field.help_text = "To be sure it is you."
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        else:
            field.label = "Your username"
            field.help_text = f"Type {user.username} to confirm."
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError("That is not your password. Your account was not deleted.")
        elif value.strip() != self.user.username:
            raise forms.ValidationError("That is not your username. Your account was not deleted.")
        return value
