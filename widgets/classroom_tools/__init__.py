"""Tools for the people who run the lessons rather than read them: student versions and hub links
(``classroom``), exercise checks in assignments (``answer_check``), the Jupyter server extension
(``server_settings``), the lessons' saved format (``notebook_format``) and ``check_setup()``."""
