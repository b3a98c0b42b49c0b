"""The drawing page: draw a digit in a browser and watch the network read it as you draw.

    static/index.html, app.js, style.css   the page: plain HTML, CSS and JavaScript, no build
                                           step, nothing loaded from the network
    api.py                                 a JSON request body → the digit's answer (validation,
                                           probabilities, saliency), no HTTP
    server.py                              HTTP only, on the standard library's
                                           ThreadingHTTPServer: the page and POST /api/predict
    weights.py                             a model as the weights file of the site's in-page
                                           network (`barenet export MODEL --web FILE.js`), no
                                           server: docs/site/static/network.js computes in the page

The recognition itself (probabilities and a saliency map for one 28×28 digit, with barenet's own
backward pass, thread-safe) is `barenet.digits.recognize`, which `barenet predict` shares.

Started by `barenet serve MODEL` (see `barenet.cli.serve`).
"""
