"""Messages that flow up from panes to the case screen, which saves through the repository.

Named in the past tense: each says what the person did; the screen decides what it means.
"""

from .change_requested import ChangeRequested
from .changes_requested import ChangesRequested
from .delete_requested import DeleteRequested
from .form_requested import FormRequested

__all__ = ["ChangeRequested", "ChangesRequested", "DeleteRequested", "FormRequested"]
