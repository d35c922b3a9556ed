"""The gradient mistakes students make, written as functions.

Shared by the homework tests (do the visible tests name the mistake?) and the
self-check tests (does ``softmax_lab.checks`` give the right hint?).  Each takes
``(theta, X, y)`` like a student's gradient and returns a wrong answer.
"""

import softmax_lab as sl


def grad_transposed(theta, X, y):
    return sl.gradient(theta, X, y).T


def grad_missing_1_over_n(theta, X, y):
    return sl.gradient(theta, X, y) * X.shape[0]


def grad_no_bias_row(theta, X, y):
    return sl.gradient(theta, X, y)[1:]


def grad_zero_bias_row(theta, X, y):
    g = sl.gradient(theta, X, y)
    g[0] = 0.0
    return g
