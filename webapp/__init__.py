"""The web layer: request and response models, error shape, routes, headers.

Thin by design: everything that computes lives in ``pooling``.
"""
