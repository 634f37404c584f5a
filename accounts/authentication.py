"""The API's token authentication: DRF's, with `Bearer` as well as `Token`, and hashed personal tokens."""

from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken

KEYWORDS = ("token", "bearer")


class PersonalTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` or `Authorization: Bearer <token>`; the request acts as the token's
    owner, with the owner's permissions at the time of the request."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                "Invalid token header: give the scheme and the token, separated by a space."
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed("Invalid token.") from None
        return self.authenticate_credentials(token)

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.by_token(key)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid or revoked token.")
        token.mark_used()
        return token.user, token
