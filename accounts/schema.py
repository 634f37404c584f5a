"""The token scheme in the OpenAPI schema, so the documentation says how scripts authenticate."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, made on the account's API tokens page (/accounts/tokens/): "
                "`Authorization: Bearer <token>`, or `Authorization: Token <token>`. "
                "The request reads with its owner's permissions."
            ),
        }
