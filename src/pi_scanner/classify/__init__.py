"""The children's-PI classifier: recognizers, engines, column verdicts and age heuristics."""
