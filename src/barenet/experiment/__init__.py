"""An experiment's configuration and results, around the engine.

    config   TrainingConfig (flags or TOML, validated against the engine's registries) and build()
    splits   the configuration's train / validation / test arrays, the same for train and evaluate
    memory   how much memory a configuration's training will need, estimated before it starts
    metrics  accuracy, confusion matrix, per-class precision / recall / F1
    plots    learning curves, first-layer weights, confusion matrix, mistakes, augmented digits
"""
