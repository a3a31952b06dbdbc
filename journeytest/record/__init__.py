"""Stage 2, the record: what happened on a journey and what the live searches found, as typed data.

The browser fills it, checks read it, reports write it. No browser and no pytest here.
"""

from .effort import Effort, EffortRecorder, StepRecord
from .journey import AttemptRecord, JourneyResult
from .run import EndState, RunState

__all__ = ["AttemptRecord", "Effort", "EffortRecorder", "EndState", "JourneyResult", "RunState", "StepRecord"]
