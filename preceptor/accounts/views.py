from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from preceptor.accounts import services
from preceptor.accounts.forms import (
    SPECIALTIES,
    DeleteAccountForm,
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    ProfileForm,
    SignUpForm,
)
from preceptor.lib.http import AuthenticatedRequest


def _next(request: HttpRequest) -> str:
    """Where to go after signing up (``next``, when it is a page of this site)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = SignUpForm(request.POST or None)
    next_url = _next(request)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        # Logging in sends user_logged_in: apps move what a visitor built into the account.
        login(request, user, backend="preceptor.accounts.backends.ProfileBackend")
        if next_url:
            messages.success(request, "Welcome to Preceptor.")
            return redirect(next_url)
        messages.success(request, "Welcome to Preceptor. Start by completing your profile.")
        return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are logged out.")
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    current = services.get_profile(request.user)
    # The form works on a copy: a bound ModelForm writes what was posted onto its instance,
    # and when that fails validation ``request.user.profile`` (the name, the completeness
    # and the time zone the rest of this page reads) must stay what is stored.
    form = ProfileForm(request.POST or None, instance=copy.copy(current))
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("accounts:profile")
    percent, missing = current.completeness()
    ctx = {"form": form, "percent": percent, "missing": missing, "specialties": SPECIALTIES}
    return render(request, "accounts/profile.html", ctx)


@login_required
@require_http_methods(["GET"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"profile": services.get_profile(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthenticatedRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)
        logout(request)
        messages.info(request, "Your account and all its data have been deleted.")
        return redirect("accounts:login")
    return render(request, "accounts/delete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = EmailPasswordResetForm
    email_template_name = "emails/password-reset-body-text.txt"
    html_email_template_name = "emails/password-reset-body-html.html"
    subject_template_name = "emails/password-reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, "Your password has been reset. Log in with the new one.")
        return super().form_valid(form)
