from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import two_factor as tf
from .forms import SignInForm, TwoFactorForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def account(request):
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "accounts/account.html", {"memberships": memberships})


@login_required
def two_factor(request):
    """Set up an authenticator app (first time) or enter its code (every sign-in)."""
    device = tf.confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = tf.setup_device(request.user)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if tf.verify(request, device, form.cleaned_data["code"]):
            return redirect(_safe_next(request))
        form.add_error(
            "code", "The security code is not right. Enter the code your app shows now"
        )
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context |= {"qr_code": tf.qr_code_data_uri(device), "secret": tf.secret_for_typing(device)}
    return render(request, "accounts/two_factor.html", context)


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"
