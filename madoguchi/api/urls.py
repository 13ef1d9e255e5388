"""The JSON API, version 1. Its OpenAPI schema is committed as docs/openapi.json."""

from madoguchi.api.openapi import MadoguchiAPI
from madoguchi.applications.api import router as applications_router
from madoguchi.assessment.api import router as assessment_router
from madoguchi.community.api import router as community_router
from madoguchi.consultations.api import router as consultations_router
from madoguchi.guidance.api import router as guidance_router
from madoguchi.organisation.api import router as organisation_router
from madoguchi.people.api import router as people_router
from madoguchi.procedures.api import router as procedures_router
from madoguchi.scheduling.api import router as scheduling_router
from madoguchi.scheduling.board_api import router as boards_router

api = MadoguchiAPI(
    title="madoguchi API",
    version="1",
    description="世田谷区 窓口プラットフォームの API。コードは shared/domain.md の定義に従います。",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", organisation_router)
api.add_router("/", people_router)
api.add_router("/", scheduling_router)
api.add_router("/", consultations_router)
api.add_router("/", boards_router)
api.add_router("/", procedures_router)
api.add_router("/", guidance_router)
api.add_router("/", applications_router)
api.add_router("/", assessment_router)
api.add_router("/", community_router)
