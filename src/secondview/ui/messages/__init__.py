"""Messages that flow up from panes to the case screen, which saves through the repository,
and from the case list to the app.

Named in the past tense: each says what the person did; the screen decides what it means.
"""

from .answer_form_requested import AnswerFormRequested
from .attach_requested import AttachRequested
from .bank_pick_requested import BankPickRequested
from .case_opened import CaseOpened
from .change_requested import ChangeRequested
from .changes_requested import ChangesRequested
from .confirmation_requested import ConfirmationRequested
from .delete_requested import DeleteRequested
from .doctor_pick_requested import DoctorPickRequested
from .fhir_import_requested import FhirImportRequested
from .form_requested import FormRequested

__all__ = [
    "AnswerFormRequested", "AttachRequested", "BankPickRequested", "CaseOpened",
    "ChangeRequested", "ChangesRequested", "ConfirmationRequested", "DeleteRequested",
    "DoctorPickRequested", "FhirImportRequested", "FormRequested",
]
