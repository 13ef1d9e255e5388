"""Models of the disaster context, one module per feature (ADR 0034), re-exported here:
``shelters``, ``registry`` (and its supporters), ``plans`` (個別避難計画), ``declarations``
(災害モード), ``safety`` (安否確認 and drills), ``home`` (在宅避難者).
"""

from madoguchi.disaster.models.declarations import Declaration
from madoguchi.disaster.models.home import (
    HomeEvacuee,
    HomeNeed,
)
from madoguchi.disaster.models.plans import (
    Destination,
    EvacuationPlan,
    Means,
    MedicalNeed,
    PlanSupporter,
)
from madoguchi.disaster.models.registry import (
    RegistryEntry,
    Sex,
    Supporter,
    SupporterKind,
    SupportReason,
)
from madoguchi.disaster.models.safety import (
    Campaign,
    DrillPerson,
    Safety,
    SafetyRecord,
)
from madoguchi.disaster.models.shelters import (
    Need,
    Occupancy,
    OccupancyCategory,
    Pets,
    Shelter,
    ShelterKind,
    ShelterLog,
    ShelterStatus,
)

__all__ = [
    "Campaign", "Declaration", "Destination", "DrillPerson", "EvacuationPlan", "HomeEvacuee",
    "HomeNeed", "Means", "MedicalNeed", "Need", "Occupancy", "OccupancyCategory", "Pets",
    "PlanSupporter", "RegistryEntry", "Safety", "SafetyRecord", "Sex", "Shelter",
    "ShelterKind", "ShelterLog", "ShelterStatus", "SupportReason", "Supporter", "SupporterKind",
]
