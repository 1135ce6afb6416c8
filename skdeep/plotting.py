"""Learning curves from a fitted estimator's history (matplotlib, an optional extra)."""


def plot_history(estimator, *, metrics=None, ax=None, log_scale=False):
    """Draw the learning curves of a fitted estimator: each metric per epoch, train and validation.

    What Keras users draw by hand with ``pd.DataFrame(history.history).plot()``.

    Parameters
    ----------
    estimator : fitted skdeep estimator
        Any estimator with a ``history_``.
    metrics : list of str, default=None
        Which curves, e.g. ``["loss"]``; None draws every metric, each beside its ``val_``
        counterpart.
    ax : matplotlib Axes, default=None
        Where to draw; None makes a new figure.
    log_scale : bool, default=False
        A logarithmic y axis (losses that fall over orders of magnitude).

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_regression
    >>> from skdeep import DeepRegressor, plot_history
    >>> X, y = make_regression(n_samples=100, n_features=3, random_state=0)
    >>> reg = DeepRegressor(epochs=3, early_stopping=True, random_state=0).fit(X, y)
    >>> plot_history(reg).get_legend_handles_labels()[1]
    ['loss', 'val_loss', 'best epoch (3)']
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "plot_history needs matplotlib: pip install 'skdeep[plot]' (or matplotlib)."
        ) from error
    estimator._check_is_fitted()
    history = estimator.history_
    names = metrics or [k for k in history if not k.startswith("val_")]
    unknown = [m for m in names if m not in history]
    if unknown:
        raise ValueError(f"The history has no {unknown}; it has {sorted(history)}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    epochs = range(1, estimator.n_iter_ + 1)
    for name in names:
        for key in (name, f"val_{name}"):
            if key in history:
                ax.plot(epochs, history[key], label=key,
                        linestyle="--" if key.startswith("val_") else "-")
    if "best_epoch_" in vars(estimator):
        ax.axvline(estimator.best_epoch_, color="grey", linewidth=0.8,
                   label=f"best epoch ({estimator.best_epoch_})")
    ax.set(xlabel="epoch", ylabel=", ".join(names), yscale="log" if log_scale else "linear",
           title=f"{type(estimator).__name__} learning curves")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax
