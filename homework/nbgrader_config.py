"""nbgrader configuration for a course that uses the softmax-lab homework.

``python tools/homework.py course DIR`` writes a course directory whose
nbgrader_config.py loads this file (see homework/README.md, "Set up a course");
do not copy the solution notebooks into source/ by hand. Needs nbgrader 0.9.6
(``pip install "softmax-lab[grade]"``). What it configures, each tested by
tests/test_grading.py and tests/test_course.py:

1. ``generate_assignment``: links to a solution notebook (``homework/NN_name.ipynb``,
   e.g. the Binder/Colab badges of the solutions) are pointed at the starter
   (``homework/student/NN_name.ipynb``) before nbgrader computes its checksums, so
   that no released notebook opens a solution, whichever way source/ was filled.
2. ``autograde``: an untouched locked cell (a test cell whose hidden tests the
   release left out, a task cell whose mark scheme it left out) no longer logs
   "Attribute 'checksum' ... has changed!"; only a locked cell the student really
   changed does (and nbgrader still puts the original back, as always).
3. ``autograde``: a cell that runs longer than ``Execute.timeout`` seconds (an
   infinite loop) is stopped, and the feedback says so in words; optionally, a
   shorter time limit for each call of a student's function (STUDENT_CALL_SECONDS).
4. ``generate_feedback``: no hidden test, no mark scheme (rubric, model answer)
   and no traceback line that quotes hidden code reaches a student.
"""

import re

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
                                    ClearSolutions, ComputeChecksums, DeduplicateIds, GetGrades,
                                    IncludeHeaderFooter, LockCells, OverwriteCells, OverwriteKernelspec,
                                    SaveCells)
from traitlets import Bool

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file
c.CourseDirectory.course_id = "softmax-lab"


# ------------------------------------------------------------ 1. starters never link to solutions
class PointLinksAtStarters(Preprocessor):
    """``homework/NN_name.ipynb`` (a solution) -> ``homework/student/NN_name.ipynb`` in every cell.

    The solution notebooks carry Binder/Colab badges to their own path; a copy of a
    solution in source/ would hand those badges to every student. Runs first, before
    nbgrader computes its checksums, so the gradebook records the rewritten cells.
    """

    enabled = Bool(True)
    SOLUTION_PATH = re.compile(r"\bhomework/(?=\d\d_[A-Za-z0-9_-]+\.ipynb)")

    def preprocess_cell(self, cell, resources, index):
        cell.source = self.SOLUTION_PATH.sub("homework/student/", cell.source)
        return cell, resources


# nbgrader 0.9.6's own list (nbgrader/converters/generate_assignment.py), with the rewrite first
c.GenerateAssignment.preprocessors = [
    PointLinksAtStarters, IncludeHeaderFooter, LockCells, ClearSolutions, ClearOutput, CheckCellMetadata,
    ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata,
]


# ------------------------------------------------------------ 2. checksum warnings only for real changes
# nbgrader stores in the gradebook the checksum of each locked cell as the SOURCE has it
# (hidden tests and mark scheme included), then removes those parts from the release
# (generate_assignment runs ComputeChecksums + SaveCells before ClearHiddenTests and
# ClearMarkScheme; jupyter/nbgrader issue #1961). autograde compares the submitted cell,
# i.e. the released one, with the stored checksum: every test cell with hidden tests and
# every task cell with a mark scheme "has changed", in every submission, untouched or not.
class OverwriteReleasedCells(OverwriteCells):
    """nbgrader's OverwriteCells, told what the student was given.

    A locked cell whose source is exactly the RELEASED form of the gradebook's cell
    (the stored source with nbgrader's ClearHiddenTests and ClearMarkScheme applied)
    gets the stored source back before nbgrader's check, so it passes silently. Any
    other source -- a student's edit -- is left to nbgrader: it warns and overwrites.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            try:
                stored = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                stored = None
            if stored is not None and stored.locked and cell.source != stored.source:
                released = nbformat.from_dict({"cell_type": stored.cell_type, "source": stored.source,
                                               "metadata": {}})
                ClearHiddenTests(parent=self)._remove_hidden_test_region(released)
                ClearMarkScheme(parent=self)._remove_mark_scheme_region(released)
                if cell.source == released.source:
                    cell.source = stored.source
        return super().preprocess_cell(cell, resources, cell_index)


# nbgrader 0.9.6's own list (nbgrader/converters/autograde.py), OverwriteCells replaced
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteReleasedCells,
                                      CheckCellMetadata]


# ------------------------------------------------------------ 3. time limit per cell
# nbgrader's default is 30 s per cell. The slowest cell of a solution (Homework 5's grid)
# takes about 2 s here; 20 s leaves a slow grading machine ten times that, and stops an
# infinite loop in a student's function sooner. Raise it if your machine is much slower.
c.Execute.timeout = 20
c.Execute.error_on_timeout = {
    "ename": "CellTimeoutError",
    "evalue": (f"this cell did not finish within {c.Execute.timeout} seconds and was stopped: "
               "a function it calls probably never returns (an endless loop?). "
               "Run the self-check of that task to find which one."),
    "traceback": ["CellTimeoutError: this cell did not finish in time and was stopped "
                  "(a function it calls probably never returns)"],
}


# One call of a student's function in a self-check or a graded test is stopped after
# softmax_lab.checks.TIME_LIMIT seconds (10 by default) and fails with "did not finish within
# N s"; an endless loop costs that much per call, in every cell that calls it. To grade a
# large class faster, lower it for autograde only (the solutions' slowest call takes well
# under a second here), e.g. STUDENT_CALL_SECONDS = 3. None keeps softmax_lab's default.
STUDENT_CALL_SECONDS = None
if STUDENT_CALL_SECONDS:
    c.Execute.extra_arguments = [  # nbclient's default for Python kernels, plus the limit
        "--HistoryManager.hist_file=:memory:",
        "--IPKernelApp.exec_lines=setattr(__import__('softmax_lab.checks', fromlist=['checks']), "
        f"'TIME_LIMIT', {float(STUDENT_CALL_SECONDS)!r})",
    ]


# ------------------------------------------------------------ 4. feedback without hidden tests or mark schemes
# By default `nbgrader generate_feedback` shows every cell as it was graded: test cells
# with their hidden tests (by design, see jupyter/nbgrader issue #917) and task cells with
# their mark scheme (rubric and model answer), since autograde puts the stored source
# back. The feedback below runs nbgrader's own ClearHiddenTests and ClearMarkScheme (the
# ones generate_assignment uses) on the autograded notebook, and cuts the traceback of a
# failed test cell to its last line -- the assertion message, e.g. "AssertionError: hidden
# test: another shape" -- because a full traceback quotes the failing hidden line.
class ShortTestTracebacks(Preprocessor):
    """In autograder test cells, keep only 'ErrorName: message' of an error."""

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ClearMarkScheme, ShortTestTracebacks,
                                    CSSHTMLHeaderPreprocessor]
