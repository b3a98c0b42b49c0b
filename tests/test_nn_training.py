"""fit: determinism, learning toy problems, early stopping, divergence, sampling, callbacks, resuming."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.errors import TrainingError
from barenet.nn import (
    MSE,
    SGD,
    Adam,
    BinaryCrossEntropy,
    Callback,
    Dense,
    Dropout,
    ExponentialDecay,
    History,
    Layer,
    Momentum,
    ReLU,
    Sequential,
    SoftmaxCrossEntropy,
    StepDecay,
    Tanh,
    evaluate,
    fit,
)


def small_model(seed=0, dropout=0.0, n_in=5, hidden=8, k=3):
    rng = np.random.default_rng(seed)
    layers = [Dense(n_in, hidden, rng=rng), ReLU()]
    if dropout:
        layers.append(Dropout(dropout, rng=rng))
    layers += [Dense(hidden, hidden, rng=rng), Tanh(), Dense(hidden, k, rng=rng)]
    return Sequential(layers, output_activation="softmax")


def blobs(n=60, n_in=5, k=3, seed=0):
    """k Gaussian clusters: learnable, and fast."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    centres = rng.standard_normal((k, n_in)) * 2
    x = (centres[y] + rng.standard_normal((n, n_in))).astype(np.float32)
    return x, y


def params(model):
    return [p.copy() for p, _ in model.parameters()]


def assert_same(a, b):
    assert len(a) == len(b)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p, q)


def spirals(n=100, seed=0):
    """Two interleaved spirals of n points each, r = t, angle = t (+ π for class 1), scaled to ~[−1, 1]."""
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0.05, 1, size=n)) * 3 * np.pi
    arms = [np.stack([t * np.cos(t + c * np.pi), t * np.sin(t + c * np.pi)], axis=1) for c in (0, 1)]
    x = np.concatenate(arms) / (3 * np.pi) + rng.normal(0, 0.01, size=(2 * n, 2))
    return x.astype(np.float32), np.repeat([0, 1], n)


# --- determinism and learning --------------------------------------------------------------------

def test_same_seed_gives_bit_identical_weights():
    x, y = blobs()
    runs = []
    for _ in range(2):
        model = small_model(dropout=0.3)
        history = fit(model, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=3, batch_size=16, seed=5)
        runs.append((params(model), history.column("train_loss")))
    assert_same(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]
    other = small_model(dropout=0.3)
    fit(other, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=3, batch_size=16, seed=6)
    assert not np.array_equal(params(other)[0], runs[0][0][0])  # another seed, another run


def test_learns_xor():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0])
    rng = np.random.default_rng(0)
    model = Sequential([Dense(2, 8, rng=rng), Tanh(), Dense(8, 1, rng=rng)], output_activation="sigmoid")
    history = fit(model, BinaryCrossEntropy(), Adam(0.05), x, y, epochs=300, batch_size=4)
    assert (model.predict(x) == y).all()
    assert history.records[-1]["train_accuracy"] == 1.0
    p = model.predict_proba(x)[:, 0]
    assert (p[y == 1] > 0.9).all() and (p[y == 0] < 0.1).all()


def test_learns_two_spirals():
    x, y = spirals()
    rng = np.random.default_rng(0)
    model = Sequential([Dense(2, 32, rng=rng), ReLU(), Dense(32, 32, rng=rng), ReLU(), Dense(32, 2, rng=rng)],
                       output_activation="softmax")
    fit(model, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=200, batch_size=32)
    assert (model.predict(x) == y).mean() >= 0.99


def test_history_records_and_validation():
    x, y = blobs()
    model = small_model()
    history = fit(model, SoftmaxCrossEntropy(), SGD(0.1), x[:40], y[:40], epochs=3, batch_size=16,
                  validation=(x[40:], y[40:]), schedule=ExponentialDecay(0.1, 0.5))
    assert history.column("epoch") == [1, 2, 3]
    assert history.column("lr") == pytest.approx([0.1, 0.05, 0.025])
    assert set(history.records[0]) == {"epoch", "train_loss", "train_accuracy", "val_loss",
                                       "val_accuracy", "lr", "seconds"}
    val_loss, val_acc = evaluate(model, SoftmaxCrossEntropy(), x[40:], y[40:], batch_size=7)
    assert history.records[-1]["val_loss"] == pytest.approx(val_loss)
    assert history.records[-1]["val_accuracy"] == val_acc
    assert History.from_dict(history.to_dict()).records == history.records
    no_val = fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), x, y, epochs=1)
    assert no_val.records[0]["val_loss"] is None and no_val.best_epoch is None


# --- early stopping and divergence ---------------------------------------------------------------

def test_early_stopping_stops_and_restores_the_best_epoch():
    # Validating against the training inputs with wrong labels: the better the fit, the worse
    # the validation loss, so the best epoch comes early and training stops `patience` later.
    x, y = blobs()
    wrong = (y + 1) % 3
    patience = 2
    model = small_model()
    history = fit(model, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=30, batch_size=16,
                  validation=(x, wrong), early_stopping=patience)
    assert history.stopped_early
    best = history.best_epoch
    val = history.column("val_loss")
    assert len(history.records) == best + patience < 30
    assert val[best - 1] == min(val)
    # the model holds the best epoch's parameters: those of a run stopped there
    reference = small_model()
    fit(reference, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=best, batch_size=16)
    assert_same(params(model), params(reference))


def test_divergence_raises_training_error_and_keeps_the_last_good_epoch():
    # Two sane epochs at η = 0.01, then η = 1e4: the squared error overflows within the third epoch.
    x, y = blobs()
    model = small_model()
    with pytest.raises(TrainingError, match="learning rate") as caught:
        fit(model, MSE(), SGD(0.01), x, y, epochs=5, batch_size=8,
            schedule=StepDecay(0.01, step_size=2, gamma=1e6))
    message = str(caught.value)
    assert "in epoch 3" in message and "(learning rate 10000)" in message
    reference = small_model()
    fit(reference, MSE(), SGD(0.01), x, y, epochs=2, batch_size=8)
    assert_same(params(model), params(reference))


def test_divergence_in_the_first_epoch_restores_the_initial_parameters():
    x, y = blobs()
    model = small_model()
    start = params(model)
    optimizer = Momentum(1e6)
    with pytest.raises(TrainingError, match=r"in epoch 1, .*learning rate 1e\+06"):
        fit(model, MSE(), optimizer, x, y, epochs=3, batch_size=8)
    assert_same(params(model), start)
    assert optimizer.state_dict() == {"t": 0, "buffers": []}


# --- sampling ------------------------------------------------------------------------------------

class Recorder(Layer):
    """A pass-through first layer that keeps a copy of every training batch it sees."""

    def __init__(self):
        self.batches = []

    def forward(self, x, training=False):
        if training:
            self.batches.append(x.copy())
        return x

    def backward(self, grad_out):
        return grad_out


def recorded_fit(sampling, n=10, batch_size=4, epochs=2):
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n) % 2
    recorder = Recorder()
    model = Sequential([recorder, Dense(2, 2, rng=0)])
    history = fit(model, SoftmaxCrossEntropy(), SGD(1e-4), x, y, epochs=epochs, batch_size=batch_size,
                  sampling=sampling)
    return x, recorder.batches, history


def test_sequential_sampling_walks_the_data_in_order():
    x, batches, _ = recorded_fit("sequential")
    assert [len(b) for b in batches] == [4, 4, 2] * 2
    np.testing.assert_array_equal(np.concatenate(batches[:3]), x)
    np.testing.assert_array_equal(np.concatenate(batches[3:]), x)


def test_shuffle_sampling_permutes_each_epoch_afresh():
    x, batches, _ = recorded_fit("shuffle")
    assert [len(b) for b in batches] == [4, 4, 2] * 2
    first, second = np.concatenate(batches[:3]), np.concatenate(batches[3:])
    for epoch in (first, second):
        np.testing.assert_array_equal(np.sort(epoch[:, 0]), x[:, 0])  # every row exactly once
    assert not np.array_equal(first, x) and not np.array_equal(first, second)


def test_replacement_sampling_draws_full_batches():
    x, batches, history = recorded_fit("replacement")
    assert [len(b) for b in batches] == [4, 4, 4] * 2  # ⌈10 / 4⌉ batches of 4
    rows = np.concatenate(batches)
    assert set(rows[:, 0].tolist()) <= set(x[:, 0].tolist())
    assert len(np.unique(rows[:, 0])) < len(rows)  # 24 draws from 10 rows repeat some
    assert 0 <= history.records[0]["train_accuracy"] <= 1


def test_replacement_sampling_with_a_batch_larger_than_the_data():
    # Regression: the gather buffer had min(batch, n) rows and np.take refused the larger draw.
    _, batches, _ = recorded_fit("replacement", n=3, batch_size=8, epochs=1)
    assert [len(b) for b in batches] == [8]


def test_fit_argument_errors():
    x, y = blobs(n=10)
    model, loss, opt = small_model(), SoftmaxCrossEntropy(), SGD(0.1)
    with pytest.raises(ValueError, match="sampling"):
        fit(model, loss, opt, x, y, sampling="random")
    with pytest.raises(ValueError, match="batch size"):
        fit(model, loss, opt, x, y, batch_size=0)
    with pytest.raises(ValueError, match="10 inputs but 9 targets"):
        fit(model, loss, opt, x, y[:9])
    with pytest.raises(ValueError, match="empty"):
        fit(model, loss, opt, x[:0], y[:0])
    with pytest.raises(ValueError, match="validation"):
        fit(model, loss, opt, x, y, early_stopping=3)
    with pytest.raises(ValueError, match="empty"):
        evaluate(model, loss, x[:0], y[:0])


# --- callbacks -----------------------------------------------------------------------------------

class Counter(Callback):
    def __init__(self, stop_after=None):
        self.calls = {"train_begin": 0, "epoch_begin": 0, "batch_end": 0, "epoch_end": 0, "train_end": 0}
        self.stop_after = stop_after
        self.seen = {}

    def on_train_begin(self, model, epochs, batches_per_epoch):
        self.calls["train_begin"] += 1
        self.seen.update(model=model, epochs=epochs, batches=batches_per_epoch)

    def on_epoch_begin(self, epoch):
        self.calls["epoch_begin"] += 1

    def on_batch_end(self, batch, loss):
        self.calls["batch_end"] += 1
        assert np.isfinite(loss)

    def on_epoch_end(self, epoch, record):
        self.calls["epoch_end"] += 1
        assert record["epoch"] == epoch + 1
        return self.stop_after is not None and epoch + 1 >= self.stop_after

    def on_train_end(self, history):
        self.calls["train_end"] += 1
        self.seen["history"] = history


def test_callbacks_are_called():
    x, y = blobs(n=50)
    model = small_model()
    counter = Counter()
    history = fit(model, SoftmaxCrossEntropy(), SGD(0.1), x, y, epochs=3, batch_size=16, callbacks=[counter])
    # ⌈50 / 16⌉ = 4 batches per epoch
    assert counter.calls == {"train_begin": 1, "epoch_begin": 3, "batch_end": 12, "epoch_end": 3,
                             "train_end": 1}
    assert counter.seen["model"] is model and counter.seen["epochs"] == 3 and counter.seen["batches"] == 4
    assert counter.seen["history"] is history


def test_a_callback_can_stop_training():
    x, y = blobs(n=50)
    counter, other = Counter(stop_after=2), Counter()
    history = fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), x, y, epochs=5, batch_size=16,
                  callbacks=[counter, other])
    assert len(history.records) == 2 and not history.stopped_early
    assert other.calls["epoch_end"] == 2 and other.calls["train_end"] == 1


# --- resuming ------------------------------------------------------------------------------------

@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_resume_equals_an_uninterrupted_run(dropout):
    x, y = blobs()
    schedule = ExponentialDecay(0.01, 0.9)
    kwargs = {"batch_size": 16, "seed": 3, "schedule": schedule, "validation": (x[:20], y[:20])}

    straight = small_model(dropout=dropout)
    straight_history = fit(straight, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=4, **kwargs)

    first = small_model(dropout=dropout)
    first_opt = Adam(0.01)
    history = fit(first, SoftmaxCrossEntropy(), first_opt, x, y, epochs=2, **kwargs)
    # a "checkpoint": parameter values, optimiser state and history, into fresh objects
    saved_params, saved_state = params(first), first_opt.state_dict()
    history = History.from_dict(history.to_dict())
    resumed = small_model(seed=99, dropout=dropout)  # different initial values, overwritten below
    for (p, _), value in zip(resumed.parameters(), saved_params, strict=True):
        p[...] = value
    resumed_opt = Adam(0.01)
    resumed_opt.load_state_dict(saved_state)
    resumed_history = fit(resumed, SoftmaxCrossEntropy(), resumed_opt, x, y, epochs=4, history=history,
                          **kwargs)

    assert_same(params(resumed), params(straight))
    assert resumed_history.column("epoch") == [1, 2, 3, 4]
    for key in ("train_loss", "train_accuracy", "val_loss", "lr"):
        assert resumed_history.column(key) == straight_history.column(key)


# --- epoch_inputs: each epoch's inputs from a function of the epoch ------------------------------

def test_epoch_inputs_supplies_each_epochs_inputs_in_order():
    n, batch_size = 10, 4
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n) % 2
    asked = []

    def shifted(epoch):
        asked.append(epoch)
        return x + 100 * (epoch + 1)  # row i is still sample i, moved by a per-epoch amount

    recorder = Recorder()
    fit(Sequential([recorder, Dense(2, 2, rng=0)]), SoftmaxCrossEntropy(), SGD(1e-4), x, y, epochs=3,
        batch_size=batch_size, epoch_inputs=shifted)
    assert asked == [0, 1, 2]
    for epoch in range(3):
        seen = np.concatenate(recorder.batches[3 * epoch : 3 * epoch + 3])
        np.testing.assert_array_equal(np.sort(seen[:, 0]), np.sort(x[:, 0] + 100 * (epoch + 1)))


def test_epoch_inputs_keep_the_labels_of_their_rows():
    # inputs that reveal their row (x_i = i): the label a batch is trained with must be y_i
    n = 12
    x = np.arange(n, dtype=np.float32).reshape(n, 1)
    y = np.arange(n) % 3

    class LabelCheck(Layer):
        def forward(self, xb, training=False):
            self.rows = xb[:, 0].astype(int) % 1000
            return xb

        def backward(self, grad_out):
            return grad_out

    check = LabelCheck()
    seen_labels = []

    class Loss(SoftmaxCrossEntropy):
        def forward(self, output, target):
            seen_labels.append((check.rows.copy(), np.array(target)))
            return super().forward(output, target)

    fit(Sequential([check, Dense(1, 3, rng=0)]), Loss(), SGD(1e-4), x, y, epochs=2, batch_size=5,
        epoch_inputs=lambda e: x + 1000 * e)
    for rows, targets in seen_labels:
        np.testing.assert_array_equal(targets, y[rows])


def test_identity_epoch_inputs_train_bit_identically():
    x, y = blobs()
    plain, fed = small_model(dropout=0.3), small_model(dropout=0.3)
    fit(plain, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=3, batch_size=16, seed=2)
    fit(fed, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=3, batch_size=16, seed=2,
        epoch_inputs=lambda epoch: x.copy())
    assert_same(params(plain), params(fed))


def test_resume_with_epoch_inputs_equals_an_uninterrupted_run():
    x, y = blobs()

    def jittered(epoch):  # a stand-in for augmentation: drawn from (seed, epoch) alone
        return x + np.random.default_rng([7, epoch]).normal(0, 0.1, x.shape).astype(np.float32)

    kwargs = {"batch_size": 16, "seed": 3, "epoch_inputs": jittered}
    straight = small_model()
    fit(straight, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=4, **kwargs)
    first, optimizer = small_model(), Adam(0.01)
    history = fit(first, SoftmaxCrossEntropy(), optimizer, x, y, epochs=2, **kwargs)
    fit(first, SoftmaxCrossEntropy(), optimizer, x, y, epochs=4, history=history, **kwargs)
    assert_same(params(first), params(straight))


def test_epoch_inputs_of_the_wrong_shape_are_refused():
    from barenet.errors import ShapeError

    x, y = blobs(n=20)
    with pytest.raises(ShapeError, match=r"epoch_inputs\(0\) returned an array of shape \(19, 5\); it "
                                         r"must return x's shape \(20, 5\)"):
        fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), x, y, epochs=1, epoch_inputs=lambda e: x[1:])


# --- the loss of every batch ----------------------------------------------------------------------

class BatchLosses(Callback):
    def __init__(self):
        self.losses = []

    def on_batch_end(self, batch, loss):
        self.losses.append(loss)


def test_history_keeps_every_batch_loss_and_round_trips():
    x, y = blobs(n=50)  # ⌈50 / 16⌉ = 4 batches per epoch
    seen = BatchLosses()
    history = fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), x, y, epochs=3, batch_size=16,
                  callbacks=[seen])
    assert history.batch_steps == list(range(12))
    assert history.batch_losses == seen.losses
    again = History.from_dict(history.to_dict())
    assert (again.batch_steps, again.batch_losses, again.batch_every) == (history.batch_steps,
                                                                           history.batch_losses, 1)
    # an epoch's mean loss is the mean of its batches' (weighted by batch size: 16, 16, 16, 2)
    sizes = np.array([16, 16, 16, 2])
    assert history.records[0]["train_loss"] == pytest.approx(np.dot(seen.losses[:4], sizes) / 50)
    old = History.from_dict({"records": history.records})  # a history saved before batch losses
    assert old.batch_steps == [] and old.batch_losses == [] and old.batch_every == 1


def test_batch_losses_stay_bounded_by_thinning(monkeypatch):
    import barenet.nn.history as history

    monkeypatch.setattr(history, "BATCH_POINTS", 8)
    x, y = blobs(n=60)
    seen = BatchLosses()
    history = fit(small_model(), SoftmaxCrossEntropy(), SGD(0.1), x, y, epochs=10, batch_size=6,
                  callbacks=[seen])  # 100 batches
    k = history.batch_every
    assert 4 <= len(history.batch_steps) <= 8 and k == 16  # 100 → 50 → … → 7 points: k doubled 4 times
    assert history.batch_steps == list(range(0, 100, k))
    assert history.batch_losses == seen.losses[::k]


def test_resumed_history_has_the_batch_losses_of_the_straight_run():
    x, y = blobs()
    straight = fit(small_model(), SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=4, batch_size=16)
    model, optimizer = small_model(), Adam(0.01)
    history = fit(model, SoftmaxCrossEntropy(), optimizer, x, y, epochs=2, batch_size=16)
    history = History.from_dict(history.to_dict())
    resumed = fit(model, SoftmaxCrossEntropy(), optimizer, x, y, epochs=4, batch_size=16, history=history)
    assert resumed.batch_steps == straight.batch_steps and resumed.batch_losses == straight.batch_losses


# --- shapes, in barenet's words -------------------------------------------------------------------

def test_fit_and_evaluate_say_what_is_wrong_with_the_shapes():
    from barenet.errors import ShapeError

    x, y = blobs(n=20)  # 5 features, 3 classes
    model, loss = small_model(), SoftmaxCrossEntropy()
    images = x.reshape(20, 5, 1)
    with pytest.raises(ShapeError, match=r"flatten the images: x is \(20, 5, 1\), the first Dense layer "
                                         r"takes \(N, 5\)"):
        fit(model, loss, SGD(0.1), images, y)
    with pytest.raises(ShapeError, match=r"flatten the images: x is \(20, 5, 1\)"):
        evaluate(model, loss, images, y)
    with pytest.raises(ShapeError, match=r"x_val has 4 features per row"):
        fit(model, loss, SGD(0.1), x, y, validation=(x[:, :4], y))
    with pytest.raises(ShapeError, match=r"y holds the label 3, but the network's 3 outputs score labels "
                                         r"0 … 2"):
        fit(model, loss, SGD(0.1), x, np.where(y == 0, 3, y))
    with pytest.raises(ShapeError, match=r"y holds the label -1"):
        evaluate(model, loss, x, y - 1)
    with pytest.raises(ShapeError, match=r"y is \(20, 4\), one column per class, but the network has 3"):
        fit(model, loss, SGD(0.1), x, np.eye(4)[y % 4])
    with pytest.raises(ShapeError, match=r"y holds <U1 values; labels are integers 0 … 2"):
        fit(model, loss, SGD(0.1), x, np.array(["a"] * 20))
    with pytest.raises(ShapeError, match=r"y holds float64 values; .*pass y.astype\(int\)"):
        evaluate(model, loss, x, y.astype(np.float64))
