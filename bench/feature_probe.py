"""A linear probe on features of a real sample (bench/FeatureProbe.java's CSV files): a logistic
regression, its L2 strength chosen by 5-fold cross-validation, fitted on the tune half's folder
labels and scored on the held-out half. Prints one AUC line per file."""
import sys

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

for label, path in zip(sys.argv[1::2], sys.argv[2::2]):
    rows = [line.rstrip("\n").split(",") for line in open(path)]
    x = np.array([[float(v) for v in r[3:]] for r in rows])
    spiral = np.array([r[1] == "spirals" for r in rows])
    tune = np.array([r[2] == "tune" for r in rows])
    probe = make_pipeline(StandardScaler(), LogisticRegressionCV(
        Cs=np.logspace(-4, 2, 13), cv=5, max_iter=5000, scoring="roc_auc"))
    probe.fit(x[tune], spiral[tune])
    auc = roc_auc_score(spiral[~tune], probe.predict_proba(x[~tune])[:, 1])
    print("%-40s %5d features: held-out AUC %.3f" % (label, x.shape[1], auc))
