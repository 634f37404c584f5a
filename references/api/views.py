"""Read-only API views: members read (everyone with PUBLIC_READ), as on the web, and nothing can be written;
the default permission and authentication classes (settings.REST_FRAMEWORK) say who."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from curation.models import Annotation, Finding
from references.forms import WorkFilterForm
from references.models import Contributor, Work

from .serializers import FindingSerializer, WorkDetailSerializer, WorkSerializer

FILTER_ERRORS = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A filter did not validate: the messages by parameter name.",
)
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
UNAUTHORIZED = OpenApiResponse(DETAIL, description="No credentials, or a token that is unknown or revoked.")
FORBIDDEN = OpenApiResponse(DETAIL, description="Signed in, but not a researcher, curator or admin.")
REFUSALS = {401: UNAUTHORIZED, 403: FORBIDDEN}
NOT_FOUND = OpenApiResponse(
    DETAIL,
    description="No such work (or it was merged into another), or no such page.",
)


def form_parameters(form: forms.Form) -> list[OpenApiParameter]:
    """The form's fields as OpenAPI query parameters, with the types, bounds and choices it accepts."""
    return [
        OpenApiParameter(
            name,
            type=_field_schema(field),
            location=OpenApiParameter.QUERY,
            required=field.required,
            description=_describe(field),
            style="form" if isinstance(field, forms.MultipleChoiceField) else None,
            explode=True if isinstance(field, forms.MultipleChoiceField) else None,
        )
        for name, field in form.fields.items()
    ]


def _describe(field: forms.Field) -> str:
    text = str(field.label or "")
    if isinstance(field, forms.ChoiceField):
        named = [f"`{value}`: {label}" for value, label in field.choices if value != "" and value != label]
        text = "; ".join(filter(None, [text, *named]))
    return text


def _field_schema(field: forms.Field) -> dict:
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": _choices_schema(field)}
    if isinstance(field, forms.ChoiceField):
        return _choices_schema(field)
    if isinstance(field, forms.IntegerField):
        bounds = {"minimum": field.min_value, "maximum": field.max_value}
        return {"type": "integer", **{key: value for key, value in bounds.items() if value is not None}}
    if isinstance(field, forms.CharField):
        schema: dict = {"type": "string"}
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        if any(isinstance(v, ProhibitNullCharactersValidator) for v in field.validators):
            schema["pattern"] = "^[^\\x00]*$"
        for validator in field.validators:
            if isinstance(validator, RegexValidator) and not validator.inverse_match:
                schema["pattern"] = validator.regex.pattern  # the form's own patterns refuse NUL too
        return schema
    # A new kind of filter field must be described here before the API can document it.
    raise TypeError(f"No OpenAPI schema for {type(field).__name__} fields")


def _choices_schema(field: forms.ChoiceField) -> dict:
    # A blank choice ("Any type") means the same as leaving the parameter out.
    values = [str(value) for value, _ in field.choices if value != ""]
    return {"type": "string", "enum": values} if values else {"type": "string"}


def blank_tolerant(form_class: type[forms.Form]) -> set[str]:
    """Names of the form's fields for which an empty value (`?year=`) means the same as leaving them out."""
    blank = QueryDict(mutable=True)
    for name in form_class.base_fields:
        blank[name] = ""
    return set(form_class.base_fields) - set(form_class(blank).errors)


class WorkFilterSchema(AutoSchema):
    """Documents the work filters from a fresh WorkFilterForm, so the schema follows the form."""

    def get_override_parameters(self) -> list:
        return [*super().get_override_parameters(), *form_parameters(WorkFilterForm())]

    def get_operation(self, *args, **kwargs) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        # drf-spectacular's parameters cannot say it, yet browsers send blank fields: `?year=&page=`.
        blank_ok = blank_tolerant(WorkFilterForm) | {self.view.paginator.page_query_param}
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in blank_ok:
                parameter["allowEmptyValue"] = True
        return operation


def _authors() -> Prefetch:
    return Prefetch(
        "contributors",
        queryset=Contributor.objects.filter(role=Contributor.Role.AUTHOR),
        to_attr="author_list",
    )


def _accepted_annotations() -> Prefetch:
    return Prefetch(
        "annotations",
        queryset=Annotation.objects.filter(state=Annotation.State.ACCEPTED).select_related("finding"),
        to_attr="accepted_annotations",
    )


@extend_schema(responses={200: WorkSerializer(many=True), 400: FILTER_ERRORS, 404: NOT_FOUND, **REFUSALS})
class WorkList(generics.ListAPIView):
    """Works, 25 a page, selected by the same filters as the web list and the exports.

    Without `doi` or `scope=all`, only imported sources are listed. `finding` may be repeated: a work
    must carry all of them. With `q`, works are ordered by relevance, otherwise newest first, then by
    title. An invalid filter is a 400 with the messages by parameter.
    """

    serializer_class = WorkSerializer
    schema = WorkFilterSchema()

    def get_queryset(self) -> QuerySet[Work]:
        form = WorkFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        works = form.filter(Work.objects.all())
        return works.defer("abstract", "crossref_json").prefetch_related(_authors(), _accepted_annotations())


@extend_schema(
    # The route takes any segment (see urls.py), but only an integer can name a work.
    parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The work's id.")],
    responses={200: WorkDetailSerializer, 404: NOT_FOUND, **REFUSALS},
)
class WorkDetail(generics.RetrieveAPIView):
    """One work in full, with its annotations (accepted and suggested) and its reference list."""

    serializer_class = WorkDetailSerializer
    queryset = (
        Work.objects.active()
        .with_counts()
        .defer("crossref_json")
        .prefetch_related(
            Prefetch("contributors", to_attr="contributor_list"),
            Prefetch(
                "annotations",
                queryset=Annotation.objects.exclude(state=Annotation.State.REJECTED).select_related(
                    "finding"
                ),
                to_attr="visible_annotations",
            ),
            "citations",
        )
    )

    def get_object(self) -> Work:
        """The work, its contributors and annotations read once each, then parted as the serializer
        shows them."""
        work = super().get_object()
        work.author_list = [c for c in work.contributor_list if c.role == Contributor.Role.AUTHOR]
        work.editor_list = [c for c in work.contributor_list if c.role == Contributor.Role.EDITOR]
        work.accepted_annotations = [
            a for a in work.visible_annotations if a.state == Annotation.State.ACCEPTED
        ]
        return work


@extend_schema(responses={200: FindingSerializer(many=True), **REFUSALS})
class FindingList(generics.ListAPIView):
    """The whole finding vocabulary, not paginated, with how many works (not merged ones) carry each term."""

    serializer_class = FindingSerializer
    pagination_class = None
    queryset = Finding.objects.with_work_counts().order_by("category", "label")
