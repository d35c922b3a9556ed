"""The per-assignment battery of student answers, as notebook cell sources.

The format is described in tests/mistakes.py's docstring (which re-exports
``STUDENT_ANSWERS``): ``{assignment: {solution grade_id: [(source, expected[, words])]}}``,
``expected`` = ``"full"`` or the points the task's test cells give, ``words`` a phrase of
the first failing assert's message. Every answer is written as a student would type it.
"""

import textwrap


def _fn(source):
    """A cell source as a student types it (dedented, no leading blank line)."""
    return textwrap.dedent(source).strip("\n") + "\n"


_HW1_SOFTMAX = [
    # ---- wrong: each loses points in Task 1 only
    (_fn("""
        def softmax(Z):
            E = np.exp(np.asarray(Z, dtype=float))
            return E / E.sum(axis=-1, keepdims=True)
        """), 2, "should be [[1, 0]]"),                       # no max-shift
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            E = np.exp(Z - Z.max())
            return E / E.sum(axis=-1, keepdims=True)
        """), 2, "own max"),                                  # the global max
    (_fn("""
        def softmax(Z):
            Z -= Z.max(axis=-1, keepdims=True)
            E = np.exp(Z)
            return E / E.sum(axis=-1, keepdims=True)
        """), 2, "in place"),                                 # changes the caller's Z
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            E = np.exp(Z - Z.max(axis=-1, keepdims=True))
            return (E / E.sum(axis=-1, keepdims=True)).tolist()
        """), 0, "numpy array"),                              # a list, not an ndarray
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z, dtype=np.float32)
            E = np.exp(Z - Z.max(axis=-1, keepdims=True))
            return (E / E.sum(axis=-1, keepdims=True)).astype(np.float64)
        """), 2, "precision"),                                # float32 inside, cast back
    (_fn("""
        def softmax(Z):
            return sl.softmax(Z)
        """), 0, "may not call softmax_lab.softmax"),
    (_fn("""
        def softmax(Z):
            return np.exp(sl.log_softmax(Z))
        """), 0, "may not call softmax_lab.log_softmax"),
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            while Z.max() > 0:          # never ends for a positive logit: Z is not changed
                Z2 = Z - Z.max()
            E = np.exp(Z)
            return E / E.sum(axis=-1, keepdims=True)
        """), 0, "did not finish within"),
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            E = np.exp(Z - Z.max(axis=0, keepdims=True))
            return E / E.sum(axis=0, keepdims=True)
        """), 0, "each ROW must sum to 1"),                   # the wrong axis
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            E = np.exp(Z - Z.max(axis=-1, keepdims=True))
            P = E / E.sum(axis=-1, keepdims=True)
        """), 0, "return"),                                   # no return
    (_fn("""
        def softmax(Z):
            Z = np.asmatrix(Z)
            E = np.exp(Z - Z.max(axis=-1))
            return E / E.sum(axis=-1)
        """), 0, "np.matrix"),
    # ---- unusual but correct
    (_fn("""
        def softmax(Z):
            rows = np.atleast_2d(np.asarray(Z, dtype=float))
            out = np.array([np.exp(r - r.max()) / np.exp(r - r.max()).sum() for r in rows])
            return out.reshape(np.shape(Z))
        """), "full"),                                        # a loop over rows
    (_fn("""
        def softmax(Z):
            Z = np.array(Z, dtype=np.float64, copy=True)      # my own copy: in place is safe
            Z -= Z.max(axis=-1, keepdims=True)
            np.exp(Z, out=Z)
            Z /= Z.sum(axis=-1, keepdims=True)
            return Z
        """), "full"),
    (_fn("""
        def softmax(Z):
            return np.exp(log_softmax(Z))                     # Task 2's function
        """), "full"),
    (_fn("""
        def softmax(Z):
            Z = np.asarray(Z).astype(np.float64)              # float32 or int input cast up
            S = Z - np.expand_dims(np.amax(Z, axis=-1), -1)
            return np.exp(S - np.log(np.sum(np.exp(S), axis=-1, keepdims=True)))
        """), "full"),
]

_HW1_LOG_SOFTMAX = [
    (_fn("""
        def log_softmax(Z):
            return np.log(softmax(Z))
        """), 2, "must be finite"),                           # log of softmax
    (_fn("""
        def softmax(Z):                                       # Task 1 redone, in place
            Z -= Z.max(axis=-1, keepdims=True)
            E = np.exp(Z)
            return E / E.sum(axis=-1, keepdims=True)

        def log_softmax(Z):
            return np.log(softmax(Z))
        """), 2, "must be finite"),                           # the 0/4: now 2/4, as with a right softmax
    (_fn("""
        def log_softmax(Z):
            Z = np.asarray(Z, dtype=np.float32)
            S = Z - Z.max(axis=-1, keepdims=True)
            return (S - np.log(np.exp(S).sum(axis=-1, keepdims=True))).astype(float)
        """), 2, "precision"),
    (_fn("""
        def log_softmax(Z):
            Z = np.asarray(Z, dtype=float)
            m = Z.max(axis=-1, keepdims=True)
            return np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)) - (Z - m)
        """), 0, "must sum to 1"),                            # sign flipped
    (_fn("""
        def log_softmax(Z):
            return sl.log_softmax(Z)
        """), 0, "may not call softmax_lab.log_softmax"),
    (_fn("""
        def log_softmax(Z):
            return np.log(sl.softmax(Z))
        """), 0, "may not call softmax_lab.softmax"),
    (_fn("""
        def log_softmax(Z):
            Z = np.asarray(Z, dtype=float)
            m = Z.max(axis=-1, keepdims=True)
            return Z - np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))
        """), 0, "must sum to 1"),                            # forgot to add the shift back
    (_fn("""
        def log_softmax(Z):
            return np.log(softmax(Z) + 1e-12)
        """), 0, "precision"),                                # and capped at log(1e-12): not stable
    (_fn("""
        def log_softmax(Z):
            i = 0
            while i < 3:
                Z = np.asarray(Z, dtype=float)
            return Z
        """), 0, "did not finish within"),
    # ---- unusual but correct
    (_fn("""
        def log_softmax(Z):
            Z = np.asarray(Z, dtype=float)
            return Z - np.logaddexp.reduce(Z, axis=-1, keepdims=True)
        """), "full"),
    (_fn("""
        def log_softmax(Z):
            Z = np.asarray(Z, dtype=float)
            m = np.max(Z, axis=-1, keepdims=True)
            return (Z - m) - np.log(np.sum(np.exp(Z - m), axis=-1, keepdims=True))
        """), "full"),
    (_fn("""
        import math

        def log_softmax(Z):
            A = np.atleast_2d(np.asarray(Z, dtype=float))
            out = np.empty_like(A)
            for r, row in enumerate(A):
                m = max(row)
                lse = m + math.log(sum(math.exp(v - m) for v in row))
                out[r] = [v - lse for v in row]
            return out.reshape(np.shape(Z))
        """), "full"),
]

_HW2_LOSS = [
    (_fn("""
        def loss_loops(theta, X, y):
            total = 0.0
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                m = z.max()
                total += m + np.log(np.exp(z - m).sum()) - z[y[u]]
            return total
        """), 0, "missing 1/m"),
    (_fn("""
        def loss_loops(theta, X, y):
            return sl.cross_entropy(theta, X, y)
        """), 0, "may not call softmax_lab.cross_entropy"),
    (_fn("""
        def loss_loops(theta, X, y):
            out = []
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                m = z.max()
                out.append(m + np.log(np.exp(z - m).sum()) - z[y[u]])
            return np.array(out)
        """), 0, "not one number"),
    (_fn("""
        def loss_loops(theta, X, y):
            total = 0.0
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                total += np.log(np.exp(z).sum()) - z[y[u]]
            return total / X.shape[0]
        """), 0, "large logits"),                             # no max-shift
    (_fn("""
        def loss_loops(theta, X, y):
            total = np.float32(0.0)
            for u in range(X.shape[0]):
                z = (theta[0] + X[u] @ theta[1:]).astype(np.float32)
                m = z.max()
                total += m + np.log(np.exp(z - m).sum()) - z[y[u]]
            return total / np.float32(X.shape[0])
        """), 0, "float64"),
    (_fn("""
        def loss_loops(theta, X, y):
            X -= X.mean(axis=0)                               # "centre the data", in place
            total = 0.0
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                m = z.max()
                total += m + np.log(np.exp(z - m).sum()) - z[y[u]]
            return total / X.shape[0]
        """), 0, "loss"),
    # ---- unusual but correct
    (_fn("""
        import math

        def loss_loops(theta, X, y):
            n_samples, n_features = X.shape
            total = 0.0
            for u in range(n_samples):
                z = [theta[0, i] + sum(X[u, j] * theta[j + 1, i] for j in range(n_features))
                     for i in range(theta.shape[1])]
                m = max(z)
                total += m + math.log(sum(math.exp(v - m) for v in z)) - z[y[u]]
            return total / n_samples
        """), "full"),
    (_fn("""
        def loss_loops(theta, X, y):
            losses = np.zeros(len(y))
            for u in range(len(y)):
                z = theta[0] + X[u] @ theta[1:]
                losses[u] = np.logaddexp.reduce(z) - z[y[u]]
            return np.mean(losses)                            # a numpy float64, not a float
        """), "full"),
]

_HW2_GRADIENT = [
    (_fn("""
        def gradient_loops(theta, X, y):
            grad = np.zeros(theta.shape)
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                p = np.exp(z - z.max()); p /= p.sum(); p[y[u]] -= 1.0
                grad[0] += p
                grad[1:] += np.outer(X[u], p)
            return grad.T / X.shape[0]
        """), 0, "transposed"),
    (_fn("""
        def gradient_loops(theta, X, y):
            grad = np.zeros(theta.shape)
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                p = np.exp(z - z.max()); p /= p.sum(); p[y[u]] -= 1.0
                grad[0] += p
                grad[1:] += np.outer(X[u], p)
            return grad
        """), 0, "missing 1/m"),
    (_fn("""
        def gradient_loops(theta, X, y):
            grad = np.zeros((X.shape[1], theta.shape[1]))
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                p = np.exp(z - z.max()); p /= p.sum(); p[y[u]] -= 1.0
                grad += np.outer(X[u], p)
            return grad / X.shape[0]
        """), 0, "missing bias gradient"),
    (_fn("""
        def gradient_loops(theta, X, y):
            return sl.gradient(theta, X, y)
        """), 0, "may not call softmax_lab.gradient"),
    (_fn("""
        def gradient_loops(theta, X, y):
            grad = np.zeros(theta.shape)
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                p = np.exp(z - z.max()); p /= p.sum(); p[y[u]] -= 1.0
                grad[0] += p
                grad[1:] += np.outer(X[u], p)
            return (grad / X.shape[0]).tolist()
        """), 0, "numpy array"),
    (_fn("""
        def gradient_loops(theta, X, y):
            theta[0] -= theta[0].max()                        # "for stability", in place
            grad = np.zeros(theta.shape)
            for u in range(X.shape[0]):
                z = theta[0] + X[u] @ theta[1:]
                p = np.exp(z - z.max()); p /= p.sum(); p[y[u]] -= 1.0
                grad[0] += p
                grad[1:] += np.outer(X[u], p)
            return grad / X.shape[0]
        """), 0, "in place"),
    # ---- unusual but correct
    (_fn("""
        def gradient_loops(theta, X, y):
            n_samples, n_features = X.shape
            n_classes = theta.shape[1]
            grad = [[0.0] * n_classes for _ in range(n_features + 1)]
            for u in range(n_samples):
                z = theta[0] + X[u] @ theta[1:]
                p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
                for i in range(n_classes):
                    d = p[i] - (i == y[u])
                    grad[0][i] += d / n_samples
                    for j in range(n_features):
                        grad[j + 1][i] += X[u, j] * d / n_samples
            return np.array(grad)
        """), "full"),
    (_fn("""
        def gradient_loops(theta, X, y):
            grad = np.zeros_like(theta, dtype=float)
            x1 = np.hstack([np.ones((X.shape[0], 1)), X])
            for u in range(X.shape[0]):
                z = x1[u] @ theta
                p = np.exp(z - z.max()); p = p / p.sum()
                grad += np.outer(x1[u], p - np.eye(theta.shape[1])[y[u]])
            return grad / X.shape[0]
        """), "full"),
]

_HW2_VECTORIZED = [
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            n = X.shape[0]
            Z = X @ theta[1:] + theta[0]
            S = Z - Z.max(axis=1, keepdims=True)
            logP = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
            dZ = np.exp(logP); dZ[np.arange(n), y] -= 1
            return np.vstack([dZ.sum(0), X.T @ dZ]) / n, -logP[np.arange(n), y].mean()
        """), 0, "not one number"),                           # (grad, loss): swapped
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            n = X.shape[0]
            Z = X @ theta[1:] + theta[0]
            P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
            loss = -np.log(P[np.arange(n), y]).mean()
            dZ = P.copy(); dZ[np.arange(n), y] -= 1
            return loss, np.vstack([dZ.sum(0), X.T @ dZ]) / n
        """), 0, "large logits"),                             # log of P, no shift
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            return sl.loss_and_gradient(theta, X, y)
        """), 0, "may not call softmax_lab.loss_and_gradient"),
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            n = X.shape[0]
            Z = X @ theta[1:] + theta[0]
            S = Z - Z.max(axis=1, keepdims=True)
            P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
            dZ = P.copy(); dZ[np.arange(n), y] -= 1
            return np.vstack([dZ.sum(0), X.T @ dZ]) / n       # the gradient only
        """), 0, "return two things"),
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            n = X.shape[0]
            Z = X @ theta[1:] + theta[0]
            S = Z - Z.max(axis=1, keepdims=True)
            logP = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
            dZ = np.exp(logP); dZ[np.arange(n), y] -= 1
            return -logP[np.arange(n), y].mean(), np.vstack([dZ.sum(0) / n, X.T @ dZ])
        """), 0, "weight rows are wrong"),                    # 1/m on the bias row only
    # ---- unusual but correct
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            n = X.shape[0]
            Z = X @ theta[1:] + theta[0]
            S = Z - Z.max(axis=1, keepdims=True)
            logP = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
            Y = np.eye(theta.shape[1])[y]
            dZ = np.exp(logP) - Y
            return [float(-(Y * logP).sum() / n), np.vstack([dZ.sum(0), X.T @ dZ]) / n]
        """), "full"),                                        # a list [loss, grad]
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            return loss_loops(theta, X, y), gradient_loops(theta, X, y)
        """), "full"),                                        # judged with references for Tasks 1-2
    (_fn("""
        def loss_and_gradient_vectorized(theta, X, y):
            X1 = np.column_stack([np.ones(len(X)), X])        # the column of ones, CS231n style
            Z = X1 @ theta
            lse = np.logaddexp.reduce(Z, axis=1)
            P = np.exp(Z - lse[:, None])
            P[np.arange(len(y)), y] -= 1
            return np.mean(lse - Z[np.arange(len(y)), y]), X1.T @ P / len(y)
        """), "full"),
]

_HW3_MINIBATCHES = [
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = rng.permutation(n_samples)
            return [order[i:i + batch_size] for i in range(0, n_samples - batch_size + 1, batch_size)]
        """), 0, "dropped"),
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = np.random.permutation(n_samples)
            return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
        """), 0, "same seed"),
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = np.arange(n_samples)
            return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
        """), 0, "shuffled"),
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = rng.permutation(n_samples)
            masks = []
            for i in range(0, n_samples, batch_size):
                mask = np.zeros(n_samples, dtype=bool)
                mask[order[i:i + batch_size]] = True
                masks.append(mask)
            return masks
        """), 0, "mask"),
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = rng.permutation(n_samples)
            n_batches = -(-n_samples // batch_size)
            padded = np.full(n_batches * batch_size, -1)
            padded[:n_samples] = order
            return list(padded.reshape(n_batches, batch_size))
        """), 0, "expected [3, 3, 3, 1]"),
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = np.random.default_rng(0).permutation(n_samples)
            return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
        """), 0, "new order every epoch"),
    # ---- unusual but correct
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = rng.permutation(n_samples)
            for start in range(0, n_samples, batch_size):
                yield order[start:start + batch_size]
        """), "full"),                                        # a generator
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = rng.permutation(n_samples).tolist()
            return tuple(order[i:i + batch_size] for i in range(0, n_samples, batch_size))
        """), "full"),                                        # a tuple of lists of ints
    (_fn("""
        def minibatches(n_samples, batch_size, rng):
            order = rng.permutation(n_samples)
            return np.array_split(order, range(batch_size, n_samples, batch_size))
        """), "full"),
]

_HW3_SGD = [
    (_fn("""
        def sgd_step(theta, X_batch, y_batch, lr):
            theta -= lr * sl.gradient(theta, X_batch, y_batch)
            return theta
        """), 0, "in place"),
    (_fn("""
        def sgd_step(theta, X_batch, y_batch, lr):
            return theta + lr * sl.gradient(theta, X_batch, y_batch)
        """), 0, "the slide prints"),
    (_fn("""
        def sgd_step(theta, X_batch, y_batch, lr):
            return sl.gradient(theta, X_batch, y_batch)
        """), 0, "the slide prints"),
    (_fn("""
        def sgd_step(theta, X_batch, y_batch, lr):
            return theta - lr * sl.gradient(theta, X_batch, y_batch).T
        """), 0, "the slide prints"),                         # square theta: no shape error
    # ---- unusual but correct
    (_fn("""
        def sgd_step(theta, X_batch, y_batch, lr):
            new = np.array(theta, dtype=float)                # a copy, updated in place
            new -= lr * sl.gradient(theta, X_batch, y_batch)
            return new
        """), "full"),
    (_fn("""
        def sgd_step(theta, X_batch, y_batch, lr):
            Z = X_batch @ theta[1:] + theta[0]
            P = np.exp(Z - Z.max(1, keepdims=True)); P /= P.sum(1, keepdims=True)
            P[np.arange(len(y_batch)), y_batch] -= 1
            return np.subtract(theta, lr * np.vstack([P.sum(0), X_batch.T @ P]) / len(y_batch))
        """), "full"),
]

_HW3_TRAIN = [
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            rng = np.random.default_rng(seed)
            theta = rng.normal(size=(X.shape[1] + 1, n_classes))
            losses = []
            for _ in range(epochs):
                for batch in minibatches(len(y), batch_size, rng):
                    theta = sgd_step(theta, X[batch], y[batch], lr)
                losses.append(sl.cross_entropy(theta, X, y))
            return theta, np.array(losses)
        """), 0, "non-zero"),                                 # random start
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            theta = np.zeros((X.shape[1] + 1, n_classes))
            losses = []
            for _ in range(epochs):
                theta = sgd_step(theta, X, y, lr)
                losses.append(sl.cross_entropy(theta, X, y))
            return theta, np.array(losses)
        """), 0, "full-batch"),
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            theta = np.zeros((X.shape[1] + 1, n_classes))
            losses = []
            for _ in range(epochs):
                rng = np.random.default_rng(seed)
                for batch in minibatches(len(y), batch_size, rng):
                    theta = sgd_step(theta, X[batch], y[batch], lr)
                losses.append(sl.cross_entropy(theta, X, y))
            return theta, np.array(losses)
        """), 0, "created again every epoch"),
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            result = sl.fit(X, y, lr=lr, epochs=epochs, batch_size=batch_size, seed=seed)
            return result.theta, np.array(result.history.loss)
        """), 0, "may not call softmax_lab.fit"),
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            rng = np.random.default_rng(0)
            theta = np.zeros((X.shape[1] + 1, n_classes))
            losses = []
            for _ in range(epochs):
                for batch in minibatches(len(y), batch_size, rng):
                    theta = sgd_step(theta, X[batch], y[batch], lr)
                losses.append(sl.cross_entropy(theta, X, y))
            return theta, np.array(losses)
        """), 0, "seed is not used"),
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            rng = np.random.default_rng(seed)
            theta = np.zeros((X.shape[1] + 1, n_classes))
            losses = []
            epoch = 0
            while epoch < epochs:                             # epoch is never increased
                for batch in minibatches(len(y), batch_size, rng):
                    theta = sgd_step(theta, X[batch], y[batch], lr)
                losses.append(sl.cross_entropy(theta, X, y))
            return theta, np.array(losses)
        """), 0, "did not finish within"),
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            rng = np.random.default_rng(seed)
            theta = np.zeros((X.shape[1] + 1, n_classes))
            losses = []
            for _ in range(epochs):
                losses.append(sl.cross_entropy(theta, X, y))  # BEFORE the epoch's steps
                for batch in minibatches(len(y), batch_size, rng):
                    theta = sgd_step(theta, X[batch], y[batch], lr)
            return theta, np.array(losses)
        """), 0, "after each epoch"),
    # ---- unusual but correct
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            rng = np.random.default_rng(seed)
            theta = np.zeros((X.shape[1] + 1, n_classes))
            losses = []
            for _ in range(epochs):
                order = rng.permutation(len(y))               # the batches written inline
                for start in range(0, len(y), batch_size):
                    b = order[start:start + batch_size]
                    theta = theta - lr * sl.gradient(theta, X[b], y[b])
                losses.append(float(sl.cross_entropy(theta, X, y)))
            return theta, losses                              # a list of losses
        """), "full"),
    (_fn("""
        def train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0):
            rng = np.random.default_rng(seed)
            theta = np.zeros((X.shape[1] + 1, n_classes))
            epoch_losses = np.empty(epochs)
            for epoch in range(epochs):
                for batch in minibatches(len(y), batch_size, rng):
                    theta = sgd_step(theta, X[batch], y[batch], lr)
                epoch_losses[epoch] = sl.cross_entropy(theta, X, y)
            return [theta, epoch_losses]                      # a list of two
        """), "full"),
]

_HW3_ACCURACY = [
    (_fn("""
        def accuracy(theta, X, y):
            Z = X @ theta[1:] + theta[0]
            return int(np.sum(Z.argmax(axis=1) == y))
        """), 0, "NUMBER of correct samples"),
    (_fn("""
        def accuracy(theta, X, y):
            Z = X @ theta[1:]
            return float(np.mean(Z.argmax(axis=1) == y))
        """), 0, "3 of these 4 samples"),                     # the bias forgotten
    (_fn("""
        def accuracy(theta, X, y):
            Z = X @ theta[1:] + theta[0]
            return np.mean(Z.argmax(axis=1) == y, keepdims=True)
        """), 0, "not one number"),
    # ---- unusual but correct
    (_fn("""
        def accuracy(theta, X, y):
            return np.mean(sl.predict(theta, X) == y)         # a numpy float64
        """), "full"),
    (_fn("""
        def accuracy(theta, X, y):
            right = sum(int(np.argmax(theta[0] + x @ theta[1:]) == label) for x, label in zip(X, y))
            return right / len(y)
        """), "full"),
]

_HW4_ONE_SAMPLE = [
    (_fn("""
        def gradient_one_sample(theta, x, y):
            x1 = np.concatenate([[1.0], x])
            z = x1 @ theta
            p = np.exp(z - z.max()); p /= p.sum(); p[y] -= 1
            return np.outer(p, x1)
        """), 0, "transposed"),
    (_fn("""
        def gradient_one_sample(theta, x, y):
            theta -= theta.max(axis=1, keepdims=True)         # "for stability": shifts the caller's theta
            x1 = np.concatenate([[1.0], x])
            z = x1 @ theta
            p = np.exp(z - z.max()); p /= p.sum(); p[y] -= 1
            return np.outer(x1, p)
        """), 0, "in place"),
    (_fn("""
        def gradient_one_sample(theta, x, y):
            z = theta[0] + x @ theta[1:]
            p = np.exp(z - z.max()); p /= p.sum(); p[y] -= 1
            return np.outer(x, p)
        """), 0, "shape"),                                    # no bias row
    (_fn("""
        def gradient_one_sample(theta, x, y):
            return sl.gradient(theta, x[None, :], np.array([y]))
        """), 0, "may not call softmax_lab.gradient"),
    (_fn("""
        def gradient_one_sample(theta, x, y):
            x1 = np.concatenate([[1.0], x])
            z = x1 @ theta
            p = np.exp(z - z.max()); p /= p.sum()
            return np.outer(x1, p)
        """), 0, "column 1"),                                 # forgot the one-hot
    # ---- unusual but correct
    (_fn("""
        def gradient_one_sample(theta, x, y):
            x1 = np.r_[1.0, x]
            z = theta.T @ x1
            p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
            return x1[:, None] * (p - np.eye(theta.shape[1])[y])[None, :]
        """), "full"),
    (_fn("""
        def gradient_one_sample(theta, x, y):
            x1 = [1.0] + list(x)
            k = theta.shape[1]
            z = [sum(x1[j] * theta[j, i] for j in range(len(x1))) for i in range(k)]
            m = max(z)
            e = [np.exp(v - m) for v in z]
            p = [v / sum(e) for v in e]
            return np.array([[x1[j] * (p[i] - (i == y)) for i in range(k)] for j in range(len(x1))])
        """), "full"),
]

_HW4_NUMERICAL = [
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            theta = np.array(theta, dtype=float)
            grad = np.zeros_like(theta)
            for index in np.ndindex(theta.shape):
                step = np.zeros_like(theta); step[index] = eps
                grad[index] = (f(theta + step) - f(theta)) / eps
            return grad
        """), 0, "one-sided"),
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            theta = np.array(theta, dtype=float)
            grad = np.zeros_like(theta)
            for index in np.ndindex(theta.shape):
                step = np.zeros_like(theta); step[index] = eps
                grad[index] = (f(theta + step) - f(theta - step)) / eps
            return grad
        """), 0, "2 * eps"),
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            grad = np.zeros(theta.shape)
            for a in range(theta.shape[0]):
                for b in range(theta.shape[1]):
                    t = np.array(theta, dtype=float)
                    t[a, b] += eps; up = f(t)
                    t[a, b] -= 2 * eps; down = f(t)
                    grad[a, b] = (up - down) / (2 * eps)
            return grad
        """), 0, "ANY shape"),                                # only a 2-D theta works
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            grad = np.zeros(theta.shape)
            for index in np.ndindex(theta.shape):
                theta[index] += eps; up = f(theta)
                theta[index] -= 2 * eps; down = f(theta)
                grad[index] = (up - down) / (2 * eps)          # theta is left shifted by -eps
            return grad
        """), 0, "changed the theta"),
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            theta = np.array(theta, dtype=float)
            grad = np.zeros_like(theta)
            index = 0
            while index < theta.size:                         # index is never increased
                flat = np.zeros(theta.size); flat[index] = eps
                step = flat.reshape(theta.shape)
                grad.flat[index] = (f(theta + step) - f(theta - step)) / (2 * eps)
            return grad
        """), 0, "did not finish within"),
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            return sl.numerical_gradient(f, theta, eps)
        """), 0, "may not call softmax_lab.numerical_gradient"),
    # ---- unusual but correct
    (_fn("""
        def numerical_gradient(f, theta, eps=1e-5):
            t = np.array(theta, dtype=float)                  # my copy, changed and restored
            grad = np.zeros_like(t)
            for i in range(t.size):
                old = t.flat[i]
                t.flat[i] = old + eps; up = f(t.copy())
                t.flat[i] = old - eps; down = f(t.copy())
                t.flat[i] = old
                grad.flat[i] = (up - down) / (2 * eps)
            return grad
        """), "full"),
    (_fn("""
        import itertools

        def numerical_gradient(f, theta, eps=1e-5):
            theta = np.asarray(theta, dtype=float)
            grad = np.empty(theta.shape)
            for index in itertools.product(*(range(n) for n in theta.shape)):
                e = np.zeros(theta.shape); e[index] = eps
                grad[index] = (f(theta + e) - f(theta - e)) / (2 * eps)
            return grad
        """), "full"),
]

_HW5_SPLIT = [
    (_fn("""
        def split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
            order = np.random.permutation(n_samples)
            n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
            return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]
        """), 0, "same seed"),
    (_fn("""
        def split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
            order = rng.permutation(n_samples)
            n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
            return order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
        """), 0, "expected train 1079"),                      # (test, val, train)
    (_fn("""
        def split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
            order = np.arange(n_samples)
            n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
            return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]
        """), 0, "shuffled"),
    (_fn("""
        def split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
            order = rng.permutation(n_samples)
            n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
            part = np.zeros(n_samples, dtype=int)
            part[order[:n_test]] = 2
            part[order[n_test:n_test + n_val]] = 1
            return part == 0, part == 1, part == 2               # True/False masks
        """), 0, "mask"),
    # ---- unusual but correct
    (_fn("""
        def split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
            order = rng.permutation(n_samples)
            n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
            test, val, train = np.split(order, [n_test, n_test + n_val])
            return [train, val, test]                         # a list of three
        """), "full"),
    (_fn("""
        def split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
            order = rng.permutation(n_samples).tolist()
            n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
            return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]
        """), "full"),                                        # lists of ints
]

_HW5_GRID = [
    (_fn("""
        def validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
            grid = np.zeros((len(lrs), len(regs)))
            for i, lr in enumerate(lrs):
                for j, reg in enumerate(regs):
                    res = sl.fit(X_train, y_train, lr=lr, reg=reg, epochs=EPOCHS, batch_size=BATCH_SIZE,
                                 seed=SEED, n_classes=10)
                    grid[i, j] = np.mean(sl.predict(res.theta, X_val) == y_val)
            return grid
        """), 0, "ignores the epochs"),
    (_fn("""
        def validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
            grid = np.zeros((len(regs), len(lrs)))
            for i, lr in enumerate(lrs):
                for j, reg in enumerate(regs):
                    res = sl.fit(X_train, y_train, lr=lr, reg=reg, epochs=epochs, batch_size=batch_size,
                                 seed=seed, n_classes=10)
                    grid[j, i] = np.mean(sl.predict(res.theta, X_val) == y_val)
            return grid
        """), 0, "transposed"),
    (_fn("""
        def validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
            grid = np.zeros((len(lrs), len(regs)))
            for i, lr in enumerate(lrs):
                for j, reg in enumerate(regs):
                    res = sl.fit(X_train, y_train, lr=lr, reg=reg, epochs=epochs, batch_size=batch_size,
                                 seed=seed, n_classes=10)
                    grid[i, j] = np.mean(sl.predict(res.theta, X_train) == y_train)
            return grid
        """), 0, "TRAINING accuracies"),
    (_fn("""
        def validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
            grid = np.zeros((len(lrs), len(regs)))
            for i, lr in enumerate(lrs):
                for j, reg in enumerate(regs):
                    res = sl.fit(X_train, y_train, lr=lr, epochs=epochs, batch_size=batch_size,
                                 seed=seed, n_classes=10)
                    grid[i, j] = np.mean(sl.predict(res.theta, X_val) == y_val)
            return grid
        """), 0, "reg = 0"),
    # ---- unusual but correct
    (_fn("""
        def validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
            rows = []
            for lr in lrs:
                row = []
                for reg in regs:
                    theta = sl.fit(X_train, y_train, lr=lr, reg=reg, epochs=epochs, batch_size=batch_size,
                                   seed=seed, n_classes=10).theta
                    Z = X_val @ theta[1:] + theta[0]
                    row.append(float(np.mean(Z.argmax(axis=1) == y_val)))
                rows.append(row)
            return rows                                       # a list of lists
        """), "full"),
]

_PLOT_OK = _fn('''
    def plot_validation_curve(grid, lrs, regs, ax):
        lines = []
        for j, reg in enumerate(regs):
            (line,) = ax.plot(lrs, np.asarray(grid)[:, j], marker="o", label=f"reg = {reg}")
            lines.append(line)
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.set_ylabel("validation accuracy")
        ax.legend()
        return lines
    ''')
_BEST_OK = _fn('''
    def best_setting(grid, lrs, regs):
        i, j = np.unravel_index(np.argmax(grid), np.shape(grid))
        return lrs[i], regs[j]
    ''')
_HW5_CHOOSE = [
    (_fn('''
        def best_setting(grid, lrs, regs):
            return np.unravel_index(np.argmax(grid), np.shape(grid))
        ''') + "\n\n" + _PLOT_OK, 0, "return the values"),
    (_fn('''
        def best_setting(grid, lrs, regs):
            i, j = np.unravel_index(np.argmax(grid), np.shape(grid))
            return regs[j], lrs[i]
        ''') + "\n\n" + _PLOT_OK, 0, "(lr = 1.0)"),
    (_BEST_OK + "\n\n" + _fn('''
        def plot_validation_curve(grid, lrs, regs, ax):
            lines = [ax.plot(lrs, np.asarray(grid)[:, j], label=f"reg = {r}")[0] for j, r in enumerate(regs)]
            ax.set_ylabel("validation accuracy")
            ax.legend()
            return lines
        '''), 0, "log x-axis"),
    (_BEST_OK + "\n\n" + _fn('''
        def plot_validation_curve(grid, lrs, regs, ax):
            for j, r in enumerate(regs):
                ax.plot(lrs, np.asarray(grid)[:, j], label=f"reg = {r}")
            ax.set_xscale("log"); ax.set_ylabel("validation accuracy"); ax.legend()
        '''), 0, "returned None"),
    # ---- unusual but correct
    (_fn('''
        def best_setting(grid, lrs, regs):
            i, j = np.argwhere(np.asarray(grid) == np.max(grid))[0]
            return [lrs[i], regs[j]]
        ''') + "\n\n" + _fn('''
        def plot_validation_curve(grid, lrs, regs, ax):
            lines = tuple(ax.semilogx(lrs, np.asarray(grid)[:, j], "o-", label=f"L2 {r}")[0]
                          for j, r in enumerate(regs))
            ax.set_ylabel("Validation accuracy")
            ax.legend(title="reg")
            return lines
        '''), "full"),
]

STUDENT_ANSWERS = {
    "01_stable_softmax": {"softmax": _HW1_SOFTMAX, "log_softmax": _HW1_LOG_SOFTMAX},
    "02_loss_and_gradient": {"loss_loops": _HW2_LOSS, "gradient_loops": _HW2_GRADIENT,
                             "loss_and_gradient_vectorized": _HW2_VECTORIZED},
    "03_minibatch_sgd_iris": {"minibatches": _HW3_MINIBATCHES, "sgd_step": _HW3_SGD,
                              "train": _HW3_TRAIN, "accuracy": _HW3_ACCURACY},
    "04_derive_gradient": {"gradient_one_sample": _HW4_ONE_SAMPLE,
                           "numerical_gradient": _HW4_NUMERICAL},
    "05_model_selection_digits": {"split_indices": _HW5_SPLIT, "validation_grid": _HW5_GRID,
                                  "choose_and_plot": _HW5_CHOOSE},
}
