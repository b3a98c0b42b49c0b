"""BarenetClassifier: scikit-learn's own estimator checks, and the tools people use it with."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks

from barenet.sklearn import BarenetClassifier


@parametrize_with_checks([BarenetClassifier()])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def digits():
    """scikit-learn's 8×8 digits, pixels scaled to [0, 1]: (1797, 64) and labels 0–9."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return x / 16.0, y


def test_learns_the_digits_with_any_labels_as_well_as_mlpclassifier(digits):
    from sklearn.neural_network import MLPClassifier

    x, y = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
    clf = BarenetClassifier(hidden=(64,), epochs=100, random_state=0).fit(x[:1500], names[y[:1500]])
    assert list(clf.classes_) == sorted(names)
    assert clf.n_features_in_ == 64 and clf.n_iter_ == len(clf.loss_curve_) <= 100
    assert clf.loss_curve_[-1] < clf.loss_curve_[0] / 5
    assert set(clf.predict(x[1500:])) <= set(names)
    np.testing.assert_allclose(clf.predict_proba(x[1500:]).sum(axis=1), 1.0, rtol=1e-12)
    # The same network, optimiser, batch size and epochs in scikit-learn (no L2 penalty).
    reference = MLPClassifier((64,), alpha=0.0, max_iter=100, random_state=0)
    with pytest.warns(Warning):  # it warns that 100 epochs did not converge
        reference.fit(x[:1500], names[y[:1500]])
    assert clf.score(x[1500:], names[y[1500:]]) >= reference.score(x[1500:], names[y[1500:]]) - 0.02


def test_same_seed_same_network_and_early_stopping_keeps_the_best_epoch(digits):
    x, y = digits
    settings = {"hidden": (32,), "lr": 1e-2, "epochs": 200, "early_stopping": True,
                "n_iter_no_change": 3, "random_state": 1}
    a, b = BarenetClassifier(**settings).fit(x, y), BarenetClassifier(**settings).fit(x, y)
    for (_, pa), (_, pb) in zip(a.model_.named_parameters(), b.model_.named_parameters(), strict=True):
        np.testing.assert_array_equal(pa, pb)
    assert a.history_.stopped_early and a.n_iter_ < 200
    assert a.best_validation_score_ == max(a.history_.column("val_accuracy"))


def test_partial_fit_needs_classes_then_one_epoch_per_call(digits):
    x, y = digits
    clf = BarenetClassifier(hidden=(32,), random_state=0)
    with pytest.raises(ValueError, match="classes="):
        clf.partial_fit(x[:100], y[:100])
    for _ in range(3):
        clf.partial_fit(x[:900], y[:900], classes=np.arange(10))
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(x[:10], y[:10] + 10)


def test_pickle_keeps_predictions_and_partial_fit_goes_on_as_without_it(digits):
    x, y = digits
    clf = BarenetClassifier(hidden=(32,), random_state=0)
    clf.partial_fit(x, y, classes=np.arange(10))
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(copy.predict_proba(x), clf.predict_proba(x))
    clf.partial_fit(x, y)
    copy.partial_fit(x, y)  # the copy's layers must still be views of its parameter vector
    np.testing.assert_array_equal(copy.predict_proba(x), clf.predict_proba(x))


@pytest.mark.slow
def test_pipeline_grid_search_and_cross_validation_with_two_processes(digits):
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = digits
    pipe = make_pipeline(StandardScaler(), BarenetClassifier(epochs=15, random_state=0, n_threads=1))
    search = GridSearchCV(pipe, {"barenetclassifier__hidden": [(16,), (64,)]}, cv=3, n_jobs=2)
    search.fit(x, y)
    assert search.best_params_["barenetclassifier__hidden"] in [(16,), (64,)]
    assert search.best_score_ > 0.8  # chance is 0.1
    scores = cross_val_score(pipe, x, y, cv=3, n_jobs=2)
    assert scores.shape == (3,) and scores.min() > 0.8


@pytest.mark.slow
def test_grid_search_on_a_two_worker_dask_cluster(digits):
    distributed = pytest.importorskip("dask.distributed")
    import joblib
    from sklearn.model_selection import GridSearchCV

    x, y = digits
    grid = {"hidden": [(16,), (32,)], "lr": [1e-3, 3e-3]}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        search = GridSearchCV(BarenetClassifier(epochs=10, random_state=0, n_threads=1), grid, cv=2)
        with joblib.parallel_config(backend="dask"):
            search.fit(x, y)
    local = GridSearchCV(BarenetClassifier(epochs=10, random_state=0, n_threads=1), grid, cv=2).fit(x, y)
    assert search.best_params_ == local.best_params_  # same seeds, same networks, same scores
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"])


def test_saves_a_barenet_model_file(tmp_path, digits):
    from barenet.saving.modelfile import load

    x, y = digits
    clf = BarenetClassifier(hidden=(32,), epochs=5, random_state=0).fit(x, y)
    path = clf.save(tmp_path / "digits.safetensors")
    trained = load(path)
    assert trained.class_names == [str(c) for c in clf.classes_]
    # the file records how the network was trained: no augmentation, the batch size fit used
    assert trained.config["augment"] == [] and trained.config["batch_size"] == 200
    assert trained.config["hidden"] == [32] and len(trained.history.records) == 5
    np.testing.assert_allclose(trained.predict_proba(x), clf.predict_proba(x), rtol=1e-4, atol=1e-6)
