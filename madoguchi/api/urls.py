"""The JSON API, version 1. Its OpenAPI schema is committed as docs/openapi.json."""

from ninja import NinjaAPI

from madoguchi.organisation.api import router as organisation_router
from madoguchi.people.api import router as people_router

api = NinjaAPI(
    title="madoguchi API",
    version="1",
    description="世田谷区 窓口プラットフォームの API。コードは shared/domain.md の定義に従います。",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", organisation_router)
api.add_router("/", people_router)
