"""The public compensation functions document their formula's source and an example.

(Every Examples block in the package runs under ``--doctest-modules``, set in
pyproject.toml, from the repository root.)
"""


def test_public_functions_have_examples_and_references():
    import cooperation as co

    for func in (co.design_compensation, co.design_fund, co.two_way_agreement):
        doc = func.__doc__
        assert "Examples" in doc and ">>>" in doc and "References" in doc, func.__name__
