from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import forms as auth_forms

from nhsuk.helper import FormHelper
from nhsuk.layout import Field, Submit

SIGN_IN_ERROR = (
    "Enter a correct email address and password. Both may be case-sensitive."
)


def without_autofocus(form: forms.Form) -> None:
    """Keyboard and screen reader users must reach the skip link and the page first."""
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)


def nhsuk_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SignInForm(auth_forms.AuthenticationForm):
    """Sign in with an email address. The error never says whether the email exists."""

    error_messages = {"invalid_login": SIGN_IN_ERROR, "inactive": SIGN_IN_ERROR}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_autofocus(self)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = nhsuk_helper(Field.text("username"), Field.text("password"), submit="Sign in")


class ChangePasswordForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_autofocus(self)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.helper = nhsuk_helper(
            Field.text("old_password"),
            Field.text("new_password1"),
            Field.text("new_password2"),
            submit="Change password",
        )


class ResetPasswordForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_autofocus(self)
        self.helper = nhsuk_helper(Field.text("email"), submit="Send reset link")


class NewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_autofocus(self)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.helper = nhsuk_helper(
            Field.text("new_password1"), Field.text("new_password2"), submit="Save new password"
        )


class TwoFactorForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the security code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = nhsuk_helper(Field.text("code", field_width=10), submit="Continue")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the security code as 6 numbers, like 123456")
        return code
