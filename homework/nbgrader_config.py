"""nbgrader configuration for a course that uses the softmax-lab homework.

Copy this file into your nbgrader course directory (next to source/), or merge
its lines into your own nbgrader_config.py. Needs nbgrader 0.9.6
(`pip install "softmax-lab[grade]"`). tests/test_grading.py loads it to check
that the feedback it configures hides the hidden tests.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets import Bool

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file
c.CourseDirectory.course_id = "softmax-lab"


# ------------------------------------------------------------ feedback without hidden tests
# By default `nbgrader generate_feedback` shows every test cell as it ran, hidden
# tests included (by design, see jupyter/nbgrader issue #917; nbgrader 0.9.6 has
# no switch for it). The feedback below runs nbgrader's own ClearHiddenTests
# preprocessor (the one generate_assignment uses) on the autograded notebook, and
# cuts the traceback of a failed test cell to its last line -- the assertion
# message, e.g. "AssertionError: hidden test: another shape" -- because a full
# traceback quotes the failing hidden line. Delete these lines to show students
# everything, which helps them learn from a failed hidden test but spends those
# tests for the next class.
class ShortTestTracebacks(Preprocessor):
    """In autograder test cells, keep only 'ErrorName: message' of an error."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ShortTestTracebacks,
                                    CSSHTMLHeaderPreprocessor]
