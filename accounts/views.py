"""Account pages: sign-in with failed attempts throttled, and a member's personal API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from references.access import READ_PERMISSION, members_with

from . import throttle
from .forms import TokenForm
from .models import ApiToken

LOCKED_OUT = "Too many failed sign-ins for this name: wait {minutes} minutes, or reset your password."


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")
        if throttle.locked_out(request, username):
            form = self.get_form()
            minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
            form.add_error(None, LOCKED_OUT.format(minutes=minutes))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        throttle.clear_failures(self.request, self.request.POST.get("username", ""))
        return super().form_valid(form)

    def form_invalid(self, form):
        throttle.record_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)


def _tokens_page(
    request: HttpRequest, form: TokenForm, new_token: str = "", status: int = 200
) -> HttpResponse:
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token}
    return render(request, "accounts/tokens.html", context, status=status)


@members_with(READ_PERMISSION)
@require_http_methods(["GET", "POST"])
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The member's tokens; a POST makes one and shows it on this answer only (it is never stored)."""
    if request.method == "GET":
        return _tokens_page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    _, token = ApiToken.objects.issue(request.user, form.cleaned_data["name"])
    return _tokens_page(request, TokenForm(), new_token=token)


@members_with(READ_PERMISSION)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, f"Token “{token.name}” revoked: scripts using it can no longer read the API.")
    return redirect("account-tokens")
