"""Layer 3, display machinery shared by every lesson widget: how figures reach the browser
(``figure_transport``, checked by ``figure_checks``), the reward-circuit diagram, the theme, the
concentration control, accessible tables and small UI helpers. ``static/`` holds the browser side."""
