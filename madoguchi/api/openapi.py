"""The API class: the problem shape for every error (madoguchi.core.problem, ADR 0023), and
an OpenAPI schema that says so.

- ``HttpError``, ``Http404`` and ninja's own validation errors answer a ``Problem``; a
  validation error names the fields in ``errors`` with Japanese (or English) messages.
- Every operation documents the errors any request can get besides its own: 400 (a NUL
  character), 422 (input that does not validate) where it takes input, 404 where its path
  has parameters, 401/403 where it needs a login, 413 for multipart bodies, 500 and 503.
- Two schema classes with one name would overwrite each other in the schema's components
  (``BookingOut`` of scheduling and of consultations did): building the schema refuses it.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from pydantic import BaseModel

from madoguchi.core.problem import Problem, problem_response

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
DESCRIPTIONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    413: "Content Too Large", 422: "Unprocessable Content",
    500: "Internal Server Error", 503: "Service Unavailable",
}


def _field_name(loc: tuple) -> str:
    # ("body", "payload", "title") -> "title"; ("query", "limit") -> "limit"
    parts = [str(p) for p in loc[1:] if p not in ("payload", "query", "body")] or [
        str(p) for p in loc]
    return ".".join(parts)


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("入力してください。")
    if kind == "string_too_long":
        return _("%(max)s文字以内で入力してください。") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("%(min)s文字以上で入力してください。") % {"min": ctx.get("min_length")}
    if kind in ("too_long", "too_short"):
        return _("項目の数が多すぎるか少なすぎます。")
    if kind.startswith(("int_", "float_", "greater_than", "less_than")):
        return _("数値が正しくありません。")
    if kind.startswith(("datetime_", "date_", "time_")):
        return _("日付・時刻の形式が正しくありません。")
    if kind.startswith("uuid"):
        return _("IDの形式が正しくありません。")
    if kind.startswith("bool"):
        return _("true か false を指定してください。")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"]).removeprefix("Value error, ")
    if kind == "json_invalid":
        return _("JSON の形式が正しくありません。")
    return _("値が正しくありません。")


class MadoguchiAPI(NinjaAPI):
    def set_default_exception_handlers(self) -> None:
        super().set_default_exception_handlers()
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(ValidationError, self._invalid)

    @staticmethod
    def _http_error(request, exc: HttpError):
        return problem_response(exc.status_code, str(exc))

    @staticmethod
    def _not_found(request, exc: Http404):
        return problem_response(404)

    @staticmethod
    def _invalid(request, exc: ValidationError):
        errors: dict[str, list[str]] = defaultdict(list)
        for error in exc.errors:
            errors[_field_name(tuple(error.get("loc", ())))].append(_message(error))
        detail = (_("「%(field)s」: %(message)s") % {"field": next(iter(errors)),
                                                   "message": next(iter(errors.values()))[0]}
                  if len(errors) == 1 else _("入力内容を確認してください。"))
        return problem_response(422, detail, errors=dict(errors))

    def get_openapi_schema(self, *args, **kwargs):
        refuse_duplicate_names(self)
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {})["Problem"] = Problem.model_json_schema(
            mode="serialization", ref_template="#/components/schemas/{model}")
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                _document_errors(method, operation)
        return schema


def _document_errors(method: str, operation: dict) -> None:
    responses = operation["responses"]
    statuses = [400, 500, 503]
    params = operation.get("parameters", [])
    if params or "requestBody" in operation:
        statuses.append(422)
    if any(p.get("in") == "path" for p in params):
        statuses.append(404)
    if operation.get("security"):
        statuses += [401, 403]
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        statuses.append(413)
    for status in statuses:
        responses.setdefault(status, {"description": DESCRIPTIONS[status],
                                      "content": {"application/json": {"schema": PROBLEM_REF}}})


def _models_in(annotation, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            _models_in(arg, found)


def refuse_duplicate_names(api: NinjaAPI) -> None:
    found: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _models_in(model, found)
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in found:
        if not getattr(model, "__ninja_param_source__", None):
            by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    if clashes:
        raise ImproperlyConfigured(f"API schema classes share a name (rename one): {clashes}")
