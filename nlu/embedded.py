"""The embedded NLU engine: TF-IDF features and logistic regression from scikit-learn.

It learns from the same Rasa YAML as a Rasa server, answers in the shape of Rasa's
`POST /model/parse`, and is cached on disk under a key made of the training data's hash, so
the bot starts in well under a second once the model has been trained. The bot process never
imports scikit-learn (about 95 MiB of resident memory): the cache holds only the copied
vocabularies and weights (`nlu/scoring.py`), and a cold cache is filled by a child process.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import pickle
import re
import subprocess
import sys
from collections import Counter
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from nlu.entities import EntityExtractor
from nlu.normalize import apply_phrases, load_lexicon, normalize
from nlu.scoring import LinearScorer, skeleton_text
from nlu.training import TrainingData, dir_fingerprint
from nlu.vowels import deletion_index, one_typo, restore, skeleton_index

log = logging.getLogger(__name__)

FALLBACK_THRESHOLD = 0.5  # from here down an intent must beat out_of_scope (nlu/README.md)
FLOOR = 0.25  # below this probability the answer is always out_of_scope
OOS_RATIO = 1.5  # between FLOOR and the threshold: how far the intent must lead out_of_scope
# 0.5 and 1.5 (were 0.4 and 2.0): better accuracy and out-of-scope recall both in 5-fold
# cross-validation on nlu/data (benchmarks/nlu_calibrate.py) and on the development sets.
INTENT_RATIOS = {"emergency_help": 1.0}  # intents whose miss costs more than a false alarm
OOS_WEIGHT = 2.0  # out_of_scope's class weight relative to "balanced" (see _class_weights)
REGULARISATION_C = 20.0  # logistic regression's inverse regularisation (nlu_calibrate.py)
ENGINE_VERSION = "10"  # 6: skeleton n-grams; 7: lexicon keys restored; 8: first letter;
# 9: phrases; 10: places inside Indonesia marked (PLACES_PATH), phrases found before words
PLACES_PATH = Path(__file__).resolve().parent / "lexicon" / "places.yml"
DOMESTIC = "dalamnegeri"  # the marker written after a place inside Indonesia
SKELETON_NGRAMS = (2, 4)  # character n-grams of the words without their vowels
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
CHILD_TRAINING = (  # argv: package root, cache file; stdin: the pickled TrainingData
    "import pickle, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
    "from nlu.embedded import EmbeddedEngine, store; "
    "store(EmbeddedEngine.train(pickle.load(sys.stdin.buffer)), Path(sys.argv[2]))"
)
BACKGROUND_TRAINING = (  # argv: package root, training data directory, cache directory
    "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
    "from nlu.embedded import fill_cache; from nlu.training import load_dir; "
    "fill_cache(load_dir(Path(sys.argv[2])), Path(sys.argv[3]))"
)
SUFFIXES = ("nya", "in", "kan", "lah", "ny")  # colloquial suffixes a training word may carry
MIN_STEM = 4  # "main" is not "ma" + "in"
_DOUBLED = re.compile(r"([^\W\d_])\1")


class EmbeddedEngine:
    """Intent classifier plus entity extractor, trained from Rasa training data."""

    def __init__(self, scorer: LinearScorer, labels: list[str], extractor: EntityExtractor,
                 vocabulary: set[str], threshold: float = FALLBACK_THRESHOLD,
                 skeletons: dict[str, str] | None = None) -> None:
        self.scorer = scorer
        self.labels = labels
        self.extractor = extractor
        self.vocabulary = vocabulary
        self.threshold = threshold
        self.skeletons = skeletons or {}
        self.phrase_skeletons = skeleton_index([list(load_lexicon().phrase_words)])
        self.word_skeletons = {sk for w in vocabulary if len(sk := skeleton_text(w)) > 1}
        self.pipeline: Any = None  # the scikit-learn pipeline, only right after training

    @classmethod
    def train(cls, data: TrainingData) -> EmbeddedEngine:
        """Fit on every example of `data` (imports scikit-learn)."""
        texts = [mark_places(normalize(e.text)) for e in data.examples]
        pipeline = fit_pipeline(texts, [e.intent for e in data.examples])
        vocabulary = {w for t in texts for w in t.split()}
        engine = cls(LinearScorer.from_pipeline(pipeline), [str(c) for c in pipeline.classes_],
                     EntityExtractor(data), vocabulary,
                     skeletons=skeleton_index((t.split() for t in texts), load_lexicon().words))
        engine.pipeline = pipeline
        return engine

    def parse(self, text: str) -> dict[str, Any]:
        """Classify one message; the result has Rasa's parse shape."""
        normalized = self.restore_vowels(mark_places(normalize(text)))
        ranking = self._ranking(normalized)
        best = ranking[0]
        if not self._trusted(ranking) or not self._familiar(normalized):
            best = {"name": "out_of_scope", "confidence": round(1 - best["confidence"], 4)}
        return {"text": text, "intent": best, "intent_ranking": ranking[:10],
                "entities": self.extractor.extract(text)}

    def _trusted(self, ranking: list[dict[str, Any]]) -> bool:
        """Whether the best intent stands, or the message is out of scope.

        A confident intent stands. An unsure one (FLOOR to threshold) stands only when the
        model finds it at least OOS_RATIO times as likely as out_of_scope: a short typed
        question ("sy gak ngerti makenya gmn") is spread over a few related intents with
        out_of_scope far behind, while an off-topic look-alike has out_of_scope close behind.
        An unsure emergency only has to beat out_of_scope (INTENT_RATIOS): someone held
        abroad who gets the menu may not write again, while an off-topic "tolong" that gets
        the hotlines costs a moment's reading.
        """
        best = ranking[0]
        if best["name"] == "out_of_scope":
            return False
        if best["confidence"] >= self.threshold:
            return True
        oos = next((r["confidence"] for r in ranking if r["name"] == "out_of_scope"), 0.0)
        ratio = INTENT_RATIOS.get(best["name"], OOS_RATIO)
        return best["confidence"] >= FLOOR and best["confidence"] >= ratio * oos

    def _ranking(self, normalized: str) -> list[dict[str, Any]]:
        if not normalized.strip():
            return [{"name": "out_of_scope", "confidence": 1.0}]
        probabilities = self.scorer.probabilities(normalized)
        order = probabilities.argsort()[::-1]
        return [{"name": self.labels[i], "confidence": round(float(probabilities[i]), 4)}
                for i in order]

    def __getstate__(self) -> dict[str, Any]:
        """The pipeline stays out of the cache: loading it would import scikit-learn."""
        return {**self.__dict__, "pipeline": None, "typos": None}

    def restore_vowels(self, normalized: str) -> str:
        """Unknown words with only vowels missing become the training word ("plsu" -> "palsu").

        Villagers drop vowels ("lwongan", "brhnti lngganan") in more ways than any lexicon
        lists. A word that is unknown, and whose consonants in order are exactly those of one
        training word it is a subsequence of, is that word; ambiguous ones stay as typed.
        """
        index = self.__dict__.get("skeletons") or {}
        typed = normalized.split()
        phrase = self._restore_phrase(typed, index)
        return phrase or " ".join(self._restore_token(token, index) for token in typed)

    def _restore_phrase(self, tokens: list[str], index: dict[str, str]) -> str | None:
        """The tokens with a lexicon phrase typed without vowels read as its meaning, or None.

        "htr nhn" and "wljng wngi" are "hatur nuhun" and "wilujeng wengi": the normaliser
        maps such phrases before the words are restored, and their words ("nuhun", "wengi")
        are in no training text, so a thanks or greeting typed so stayed gibberish. Unknown
        tokens are read through the phrases' own words, and kept so only when a whole
        phrase then appears; otherwise None and the tokens stand as restored.
        The phrases are looked for in the tokens as typed, and the other words are restored
        afterwards: restored first, "sntn" of "wljng sntn" (wilujeng sonten) became
        "sunatan", a training word, and the greeting was lost.
        """
        phrases = self.__dict__.get("phrase_skeletons") or {}
        if not phrases:
            return None
        candidate = " ".join(t if t in self.vocabulary else restore(t, phrases) for t in tokens)
        rephrased = apply_phrases(candidate)
        if rephrased == candidate:
            return None
        words = load_lexicon().words
        return " ".join(self._restore_token(words.get(token, token), index)
                        for token in rephrased.split())

    def _restore_token(self, token: str, index: dict[str, str]) -> str:
        """One token; each half of a reduplication ("lngkh-lngkh") on its own."""
        if token in self.vocabulary:
            return token
        if "-" in token:
            return "-".join(self._restore_token(part, index) for part in token.split("-"))
        restored = self._known_form(token) or restore(token, index)
        if restored == token:
            restored = one_typo(token, self._typo_index()) or token
        return load_lexicon().words.get(restored, restored)  # "swn" -> "suwun" -> its meaning

    def _typo_index(self) -> dict[str, set[str]]:
        """The training words' deletion index, built at the first unknown word of a process.

        Not cached on disk: it is four times the vocabulary, and built in milliseconds.
        """
        if self.__dict__.get("typos") is None:
            self.typos = deletion_index(self.vocabulary)
        return self.typos

    def _known_form(self, token: str) -> str | None:
        """A training word with a letter typed twice or a suffix added, or None.

        "kuiss", "minn" and "hloo" are "kuis", "min" and "hlo" held a moment too long on a
        phone keyboard; "berhentiin" and "paspornya" are "berhenti" and "paspor" with a
        colloquial suffix. Unknown, they made a clear message look like gibberish.
        """
        words = load_lexicon().words
        single = words.get(_DOUBLED.sub(r"\1", token), _DOUBLED.sub(r"\1", token))
        if single in self.vocabulary:
            return single
        for suffix in SUFFIXES:
            stem = token.removesuffix(suffix)
            if stem != token and len(stem) >= MIN_STEM:
                stem = words.get(stem, stem)
                if stem in self.vocabulary:
                    return stem
        return None

    def _familiar(self, normalized: str) -> bool:
        """Gibberish shares no word with the training data; it must not get an intent.

        A word counts as shared when its skeleton is a training word's ("wljng", "dh"): a
        typed greeting or goodbye was taken for gibberish, although the model recognised it.
        """
        known = self.__dict__.get("word_skeletons") or set()
        words = [w for w in normalized.split() if w.isalpha()]
        return not words or any(w in self.vocabulary or skeleton_text(w) in known
                                for w in words)


@lru_cache(maxsize=1)
def domestic_places() -> frozenset[str]:
    """The places inside Indonesia of `PLACES_PATH`."""
    raw = yaml.safe_load(PLACES_PATH.read_text(encoding="utf-8")) or {}
    return frozenset(str(p).lower() for p in raw.get("places") or [])


def mark_places(normalized: str) -> str:
    """`normalized` with DOMESTIC after every place inside Indonesia ("di riau dalamnegeri").

    Jobs, pay, travel and family matters inside Indonesia are off-topic, but each place is
    named by a handful of training messages at most, so a message about an unnamed one
    ("kebun sawit di kalbar") went by its migration words ("lowongan", "sawit") to an
    intent. The marker is one feature all those messages share; the place stays too.
    """
    places = domestic_places()
    return " ".join(f"{w} {DOMESTIC}" if w in places else w for w in normalized.split())


def fit_pipeline(texts: list[str], intents: list[str]) -> Any:
    """TF-IDF word 1-2-grams and char 2-5-grams, then a class-balanced logistic regression.

    The problem is strictly convex, so every solver that converges finds the same model; they
    differ in time. With 24 classes x 24,000 features, lbfgs spent 45 iterations of which
    scipy's bookkeeping over the 570,000 coefficients cost more than the gradients, and on a
    busy machine its multi-threaded BLAS calls spun: 3 s of CPU alone, 10-13 s with other work
    beside it. newton-cg on float32 features converges in 8 iterations, about 1 s, to the same
    answers on every development set (benchmarks/nlu_heldout.py); the scorer copies float32
    weights anyway.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                  dtype=np.float32)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  min_df=2, dtype=np.float32)),
        ("skeletons", TfidfVectorizer(analyzer="char_wb", ngram_range=SKELETON_NGRAMS,
                                      preprocessor=skeleton_text, sublinear_tf=True, min_df=2,
                                      dtype=np.float32)),
    ])
    pipeline = Pipeline([
        ("features", features),
        ("classifier", LogisticRegression(C=REGULARISATION_C, solver="newton-cg", max_iter=3000,
                                          class_weight=_class_weights(intents))),
    ])
    return pipeline.fit(texts, intents)


def _class_weights(intents: list[str]) -> dict[str, float]:
    """Balanced weights, with out_of_scope counted OOS_WEIGHT times.

    Off-topic messages are far more varied than any intent: with plain balanced weights the
    model learns too little of them, and a message that shares one word with an intent
    ("agen gas elpiji", "kartu visa") got that intent.
    """
    counts = Counter(intents)
    weights = {c: len(intents) / (len(counts) * n) for c, n in counts.items()}
    if "out_of_scope" in weights:
        weights["out_of_scope"] *= OOS_WEIGHT
    return weights


def cache_key(data: TrainingData) -> str:
    """Retrain when the data, this engine or scikit-learn changes."""
    return _key(data.fingerprint)


def _key(fingerprint: str) -> str:
    """Every lexicon file counts (slang too, not only places): training text is read with them."""
    files = sorted(PLACES_PATH.parent.glob("*.yml"))
    lexicon = hashlib.sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in files))
    raw = (f"{fingerprint}:{ENGINE_VERSION}:{version('scikit-learn')}:{FALLBACK_THRESHOLD}"
           f":{OOS_WEIGHT}:{REGULARISATION_C}:{lexicon.hexdigest()[:12]}")
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _model_path(fingerprint: str, cache_dir: Path) -> Path:
    return cache_dir / f"embedded-{_key(fingerprint)}.pickle"


_background: dict[Path, subprocess.Popen[bytes]] = {}  # model file -> the child training it


def start_training(data_dir: Path, cache_dir: Path) -> bool:
    """On a cold cache, start training in a child process now; True when one was started.

    `make run` on a fresh clone then trains while the bot imports Telegram, checks the
    content and migrates the database (2 cores: about 10 s of other work), instead of after
    them; `load_or_train` later waits for this child and loads its model. A warm cache costs
    only hashing the training files.
    """
    path = _model_path(dir_fingerprint(data_dir), cache_dir)
    if path.is_file() or path in _background:
        return False
    _background[path] = subprocess.Popen(
        [sys.executable, "-c", BACKGROUND_TRAINING, str(PACKAGE_ROOT), str(data_dir),
         str(cache_dir)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return True


def fill_cache(data: TrainingData, cache_dir: Path) -> None:
    """Train and store the model unless the cache has it (the child of `start_training`)."""
    path = _model_path(data.fingerprint, cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _load_cached(path) is None:
            store(EmbeddedEngine.train(data), path)


def _await_background(path: Path) -> None:
    """Wait for the training `start_training` began; if it failed, `load_or_train` retrains."""
    child = _background.pop(path, None)
    if child is not None and child.wait() != 0:
        log.warning("NLU training started at start-up failed (exit %s); training again",
                    child.returncode)


def load_or_train(data: TrainingData, cache_dir: Path | None) -> EmbeddedEngine:
    """Load the cached model for this data, or train and cache it.

    Several bot workers start at once on a fresh cache: a lock file makes one of them train
    while the others wait and then load its model, instead of all training and racing to
    rename the same temporary file (which made a worker fail to start). The training runs in
    a child process, so this one never imports scikit-learn; if the child fails, here.
    """
    if cache_dir is None:
        return EmbeddedEngine.train(data)
    path = _model_path(data.fingerprint, cache_dir)
    _await_background(path)
    engine = _load_cached(path)
    if engine is not None:
        return engine
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or the process dies
        engine = _load_cached(path)  # trained by another process while we waited
        if engine is None:
            engine = _train_in_child(data, path)
        if engine is None:
            engine = EmbeddedEngine.train(data)
            store(engine, path)
    return engine


def store(engine: EmbeddedEngine, path: Path) -> None:
    """Write the model to the cache; atomic, so a crash never leaves half a model behind."""
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(engine, fh)
    tmp.replace(path)


def _train_in_child(data: TrainingData, path: Path) -> EmbeddedEngine | None:
    done = subprocess.run([sys.executable, "-c", CHILD_TRAINING, str(PACKAGE_ROOT), str(path)],
                          input=pickle.dumps(data), capture_output=True, check=False)
    if done.returncode != 0:
        log.warning("NLU training in a child process failed (exit %s); training here",
                    done.returncode)
        return None
    return _load_cached(path)


def _load_cached(path: Path) -> EmbeddedEngine | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("NLU cache %s unreadable (%s); retraining", path, exc)
        return None
