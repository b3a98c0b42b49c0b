"""The drawing page: draw a digit in a browser and watch the network read it as you draw.

    static/index.html, app.js, style.css   the page: plain HTML, CSS and JavaScript, no build
                                           step, nothing loaded from the network
    recognize.py                           probabilities and a saliency map for one 28×28 digit
                                           (barenet's own backward pass), thread-safe
    server.py                              a small JSON server on the standard library's
                                           ThreadingHTTPServer: the page and POST /api/predict

Started by `barenet serve MODEL` (see `barenet.cli.serve`).
"""
