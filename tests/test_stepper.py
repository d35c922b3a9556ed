"""TrainingStepper: the deck's numbers on the first steps, exact undo, every mode.

Slide values are typed in from the deck (*Softmax Regression*, slides
"Generalization - Stochastic" and the mini-batch example), as the strings the
slides print.  The deck mostly TRUNCATES (L = -log 0.4016 = 0.91227... is
printed 0.9122): each value must be the computed one rounded or truncated at
the slide's printed digits, by the package's one rule for that
(``softmax_lab.slides.how_printed``), not by a rule re-implemented here.
"""

import numpy as np
import pytest

import softmax_lab as sl
from softmax_lab.slides import how_printed
from softmax_lab.stepper import TrainingStepper


def _check_slide(computed, printed):
    """Each computed entry prints, rounded or truncated, as the slide's string."""
    computed = np.atleast_1d(np.asarray(computed, dtype=float)).ravel()
    printed = np.atleast_1d(np.asarray(printed, dtype=object)).ravel()
    assert computed.size == printed.size
    for c, p in zip(computed, printed):
        assert how_printed(p, float(c)) in ("rounded", "truncated"), (p, c)


@pytest.fixture
def stepper(iris9):
    X, y = iris9
    return TrainingStepper(X, y, sl.datasets.slide_theta(3), lr=0.1)


# ------------------------------------------------------------- deck numbers
def test_deck_stochastic_example_row_index_1(stepper):
    # slide: x = [1, 1.4, 0.2], y = 1 (slide numbering) -> row index 1, class 0
    rec = stepper.step(indices=[1])
    np.testing.assert_array_equal(rec.indices, [1])
    np.testing.assert_allclose(rec.X, [[1.4, 0.2]])
    assert rec.y.tolist() == [0]
    _check_slide(rec.Z[0], ["0.28", "-0.05", "0.02"])
    _check_slide(rec.P[0], ["0.4016", "0.2887", "0.3096"])
    _check_slide(rec.loss, "0.9122")
    # dL/dz = y_hat - y (one-hot)
    np.testing.assert_allclose(rec.dZ, rec.P - np.array([[1.0, 0.0, 0.0]]), atol=1e-15)
    # slide gradient columns dL/dtheta_1 = [-0.598, -0.837, -0.119], dL/dtheta_2 = [0.288, 0.404, 0.057]
    _check_slide(rec.grad[:, 0], ["-0.598", "-0.837", "-0.119"])
    _check_slide(rec.grad[:, 1], ["0.288", "0.404", "0.057"])
    np.testing.assert_allclose(rec.theta_before, sl.datasets.slide_theta(3))
    np.testing.assert_allclose(rec.theta_after, rec.theta_before - 0.1 * rec.grad, atol=1e-15)
    np.testing.assert_array_equal(stepper.theta, rec.theta_after)
    assert stepper.step_count == 1


def test_deck_stochastic_no_shuffle_first_step_is_row_0(stepper):
    assert stepper.mode == "stochastic"
    np.testing.assert_array_equal(stepper.next_indices(), [0])
    rec = stepper.step()
    np.testing.assert_array_equal(rec.indices, [0])
    # first column of the deck's mini-batch y_hat (x = [1, 1.5, 0.2])
    _check_slide(rec.P[0], ["0.4039", "0.2846", "0.3114"])
    rec2 = stepper.step()
    np.testing.assert_array_equal(rec2.indices, [1])  # dataset order, no shuffle


def test_deck_minibatch_rows_0_3_6(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), lr=0.1, batch_size=3)
    assert st.mode == "mini-batch"
    rec = st.step(indices=[0, 3, 6])
    _check_slide(rec.Z.T, [["0.29", "0.89", "1.1"], ["-0.06", "-0.1", "-0.07"], ["0.03", "0.21", "0.24"]])
    _check_slide(rec.P.T, [["0.4039", "0.5324", "0.5768"], ["0.2846", "0.1978", "0.1790"],
                           ["0.3114", "0.2697", "0.2441"]])
    _check_slide(rec.loss, "1.31")
    _check_slide(rec.grad[:, 0], ["0.171", "1.612", "0.667"])
    _check_slide(rec.grad[:, 1], ["-0.112", "-0.780", "-0.277"])
    _check_slide(rec.grad[:, 2], ["-0.058", "-0.832", "-0.389"])
    # the slide's new theta is computed from its truncated gradient, so compare
    # at 3 decimals within one unit (not by truncation)
    slide_new = [[0.083, 0.061, -0.094], [-0.061, -0.022, 0.183], [0.133, 0.228, -0.061]]
    np.testing.assert_allclose(rec.theta_after, slide_new, atol=1e-3)


def test_order_reproduces_the_deck_minibatch_without_explicit_indices(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), batch_size=3,
                         order=[0, 3, 6, 1, 4, 7, 2, 5, 8])
    rec = st.step()
    np.testing.assert_array_equal(rec.indices, [0, 3, 6])
    _check_slide(rec.loss, "1.31")
    np.testing.assert_array_equal(st.next_indices(), [1, 4, 7])


def test_explicit_indices_do_not_advance_the_schedule(stepper):
    stepper.step(indices=[5])
    np.testing.assert_array_equal(stepper.next_indices(), [0])
    assert stepper.last.epoch is None
    stepper.step()
    assert stepper.last.indices.tolist() == [0] and stepper.last.epoch == 0


# ---------------------------------------------------------------- undo/reset
def test_back_is_an_exact_undo_many_times(stepper):
    thetas = [stepper.theta.copy()]
    nexts = [stepper.next_indices()]
    for _ in range(12):  # more than one epoch of 9 samples
        stepper.step()
        thetas.append(stepper.theta.copy())
        nexts.append(stepper.next_indices())
    assert stepper.step_count == 12
    for k in range(12, 0, -1):
        assert stepper.step_count == k
        np.testing.assert_array_equal(stepper.theta, thetas[k])  # bitwise
        stepper.back()
        np.testing.assert_array_equal(stepper.theta, thetas[k - 1])
        np.testing.assert_array_equal(stepper.next_indices(), nexts[k - 1])
        assert len(stepper.history.loss) == k - 1
    assert stepper.step_count == 0 and stepper.last is None
    assert stepper.back() is None  # back at step 0 is a no-op
    np.testing.assert_array_equal(stepper.theta, sl.datasets.slide_theta(3))


def test_back_then_step_redoes_the_same_update(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), batch_size=2, shuffle=True, seed=3)
    st.run(5)
    rec5 = st.last
    st.back()
    st.back()
    assert st.last.step == 3
    st.run(2)
    np.testing.assert_array_equal(st.last.indices, rec5.indices)
    np.testing.assert_array_equal(st.theta, rec5.theta_after)


@pytest.mark.parametrize("kw", [dict(), dict(batch_size=2, shuffle=True, seed=3), dict(batch_size=None)],
                         ids=["stochastic", "shuffled mini-batch", "full batch"])
def test_preview_leaves_no_trace(iris9, kw):
    """Previewing next / back at every step (epoch boundaries included) changes nothing:
    a twin stepper that never previews makes bit-identical updates."""
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), lr=0.3, **kw)
    twin = TrainingStepper(X, y, sl.datasets.slide_theta(3), lr=0.3, **kw)
    for k in range(11):
        with st.preview("next") as moved:
            assert moved and st.step_count == k + 1
            ahead = st.theta.copy()
        with st.preview("back") as moved:
            assert moved == (k > 0) and st.step_count == max(k - 1, 0)
        assert st.step_count == k
        np.testing.assert_array_equal(st.theta, twin.theta)
        np.testing.assert_array_equal(st.next_indices(), twin.next_indices())
        st.step()
        twin.step()
        np.testing.assert_array_equal(st.theta, ahead)  # the previewed step is the step made
        np.testing.assert_array_equal(st.last.indices, twin.last.indices)
    np.testing.assert_array_equal(st.history.loss, twin.history.loss)
    with pytest.raises(ValueError, match="preview takes"):
        with st.preview("forward"):
            pass


def test_preview_of_a_diverging_step_or_a_bad_pick_shows_nothing(iris9):
    X, y = iris9
    st = TrainingStepper(X * 1e150, y, sl.datasets.slide_theta(3), lr=1e200, batch_size=None)
    with np.errstate(all="ignore"), st.preview("next") as moved:
        assert not moved and st.step_count == 0
    np.testing.assert_array_equal(st.theta, sl.datasets.slide_theta(3))
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3))
    with st.preview(("next", [99])) as moved:
        assert not moved
    with st.preview(("next", [4])) as moved:
        assert moved and st.last.indices.tolist() == [4]
    assert st.step_count == 0


def test_back_restores_explicit_step(stepper):
    stepper.step()
    before = stepper.theta.copy()
    stepper.step(indices=[1])
    stepper.back()
    np.testing.assert_array_equal(stepper.theta, before)
    np.testing.assert_array_equal(stepper.next_indices(), [1])


def test_reset(stepper):
    stepper.run(4)
    stepper.reset()
    assert stepper.step_count == 0
    assert stepper.last is None
    assert stepper.history.loss.size == 0
    np.testing.assert_array_equal(stepper.theta, sl.datasets.slide_theta(3))
    np.testing.assert_array_equal(stepper.next_indices(), [0])


def test_initial_theta_is_copied_and_protected(iris9):
    X, y = iris9
    theta = sl.datasets.slide_theta(3)
    st = TrainingStepper(X, y, theta)
    st.run(3)
    np.testing.assert_array_equal(theta, sl.datasets.slide_theta(3))
    with pytest.raises(ValueError):
        st.last.theta_before[0, 0] = 1.0  # records are read-only


# -------------------------------------------------------------------- modes
@pytest.mark.parametrize(
    "batch_size, mode, per_epoch",
    [(1, "stochastic", 9), (3, "mini-batch", 3), (4, "mini-batch", 3), (9, "full batch", 1),
     (None, "full batch", 1)],
)
def test_every_mode_matches_fit(iris9, batch_size, mode, per_epoch):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), lr=0.1, batch_size=batch_size,
                         shuffle=True, seed=7)
    assert st.mode == mode
    n_steps = 2 * per_epoch
    st.run(n_steps)
    res = sl.fit(X, y, sl.datasets.slide_theta(3), lr=0.1, epochs=2, batch_size=batch_size,
                 shuffle=True, seed=7)
    assert res.history.loss.size == n_steps
    np.testing.assert_allclose(st.history.loss, res.history.loss, rtol=1e-12)
    np.testing.assert_allclose(st.theta, res.theta, rtol=1e-12, atol=1e-15)
    # each epoch visits every sample exactly once
    seen = np.concatenate([r.indices for r in st.records[:per_epoch]])
    assert sorted(seen.tolist()) == list(range(9))
    assert [r.epoch for r in st.records] == [0] * per_epoch + [1] * per_epoch


def test_full_batch_step_uses_all_rows_and_the_full_loss(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), batch_size=None)
    rec = st.step()
    np.testing.assert_array_equal(rec.indices, np.arange(9))
    loss, grad = sl.loss_and_gradient(sl.datasets.slide_theta(3), X, y)
    assert rec.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(rec.grad, grad, rtol=1e-12)
    assert rec.train_loss == pytest.approx(sl.cross_entropy(rec.theta_after, X, y), rel=1e-12)


def test_reg_is_used(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), batch_size=None, reg=0.5)
    rec = st.step()
    np.testing.assert_allclose(rec.grad, sl.gradient(sl.datasets.slide_theta(3), X, y, reg=0.5))


def test_changing_lr_applies_to_next_step_and_undo_is_still_exact(stepper):
    stepper.step()
    stepper.lr = 1.0
    rec = stepper.step()
    assert rec.lr == 1.0
    np.testing.assert_allclose(rec.theta_after, rec.theta_before - 1.0 * rec.grad)
    stepper.back()
    np.testing.assert_array_equal(stepper.theta, stepper.records[0].theta_after)


def test_changing_batch_size_restarts(stepper):
    stepper.run(3)
    stepper.batch_size = 3
    assert stepper.step_count == 0 and stepper.mode == "mini-batch"
    np.testing.assert_array_equal(stepper.next_indices(), [0, 1, 2])


# --------------------------------------------------------------------- seed
def test_same_seed_same_steps_different_seed_different_order(iris9):
    X, y = iris9

    def indices(seed):
        st = TrainingStepper(X, y, sl.datasets.slide_theta(3), shuffle=True, seed=seed)
        st.run(9)
        return [int(r.indices[0]) for r in st.records], st.theta

    a, ta = indices(11)
    b, tb = indices(11)
    c, _ = indices(12)
    assert a == b
    np.testing.assert_array_equal(ta, tb)
    assert a != c
    assert sorted(a) == list(range(9))


def test_setting_seed_restarts_and_replays(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), shuffle=True, seed=1)
    st.run(4)
    first = [r.indices.tolist() for r in st.records]
    st.seed = 1
    assert st.step_count == 0
    st.run(4)
    assert [r.indices.tolist() for r in st.records] == first


# ------------------------------------------------------------------- errors
def test_bad_inputs_say_what_to_do(iris9):
    X, y = iris9
    theta = sl.datasets.slide_theta(3)
    with pytest.raises(ValueError, match="batch_size"):
        TrainingStepper(X, y, theta, batch_size=10)
    with pytest.raises(ValueError, match="learning rate"):
        TrainingStepper(X, y, theta, lr=0)
    with pytest.raises(ValueError, match="order"):
        TrainingStepper(X, y, theta, shuffle=True, order=[0, 1])
    with pytest.raises(ValueError, match="rows 0..8"):
        TrainingStepper(X, y, theta).step(indices=[9])
    with pytest.raises(ValueError, match="subtract 1|label"):
        TrainingStepper(X, y + 1, theta)


def test_divergence_is_reported_and_state_kept(iris9):
    X, y = iris9
    st = TrainingStepper(X * 1e150, y, sl.datasets.slide_theta(3), lr=1e200, batch_size=None)
    with pytest.raises(sl.DivergenceError, match=r"(?s)update 1.*lr=1e\+200.*try lr=1e\+199"):
        st.step()
    assert st.step_count == 0
    np.testing.assert_array_equal(st.theta, sl.datasets.slide_theta(3))


# ------------------------------------------------------------ one vocabulary
def test_history_is_a_fit_history_like_fits(iris9):
    X, y = iris9
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), lr=0.1, batch_size=3)
    st.run(5)
    res = sl.fit(X, y, sl.datasets.slide_theta(3), lr=0.1, epochs=2, batch_size=3, shuffle=False,
                 keep_theta=True)
    h = st.history
    assert isinstance(h, sl.FitHistory)
    np.testing.assert_array_equal(h.loss, res.history.loss[:5])
    np.testing.assert_array_equal(h.epoch, res.history.epoch[:5])
    for a, b in zip(h.thetas, res.history.thetas[:5]):
        np.testing.assert_array_equal(a, b)
    assert h.n_updates == 5 and h.batch_size == 3
    np.testing.assert_array_equal(h.gradient_evaluations, res.history.gradient_evaluations[:5])
    assert st.train_loss_history.shape == (5,)
    st.back()
    assert st.history.n_updates == 4


def test_fit_and_stepper_diverge_at_the_same_update_with_the_same_error(iris9):
    X, y = iris9
    kw = dict(lr=1e3, reg=1e3, batch_size=None)
    with pytest.raises(sl.DivergenceError) as fit_error:
        sl.fit(X, y, sl.datasets.slide_theta(3), epochs=500, shuffle=False, **kw)
    st = TrainingStepper(X, y, sl.datasets.slide_theta(3), **kw)
    with pytest.raises(sl.DivergenceError) as step_error:
        st.run(500)
    assert fit_error.value.update == step_error.value.update == st.step_count + 1
    np.testing.assert_array_equal(st.theta, st.last.theta_after)
