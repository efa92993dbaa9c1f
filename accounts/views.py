from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def account(request):
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "accounts/account.html", {"memberships": memberships})
