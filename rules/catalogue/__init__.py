"""The rule catalogue: one module per rule; :data:`CATALOGUE` lists them in run order."""

from __future__ import annotations

from rules.catalogue.identity_conflict import IdentityConflict
from rules.catalogue.missing_after_visa import MissingAfterVisa
from rules.catalogue.missing_from_education import MissingFromEducation
from rules.catalogue.missing_no_responsible_force import MissingNoResponsibleForce
from rules.catalogue.prolific_father import ProlificFather
from rules.catalogue.shared_enabler import SharedEnabler
from rules.catalogue.visa_cohort_no_show import VisaCohortNoShow

#: Every catalogue rule, in the order they run and are documented. Add new rules here.
CATALOGUE = (
    ProlificFather,
    VisaCohortNoShow,
    MissingAfterVisa,
    SharedEnabler,
    IdentityConflict,
    MissingFromEducation,
    MissingNoResponsibleForce,
)

__all__ = ["CATALOGUE"]
