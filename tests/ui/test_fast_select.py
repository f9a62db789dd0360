from django import forms

from fangkong.core.forms import FastSelect


class _Form(forms.Form):
    area = forms.ChoiceField(widget=FastSelect)


def test_it_renders_like_a_select_with_escaped_labels():
    form = _Form({"area": "2"})
    form.fields["area"].choices = [
        ("", "—"),
        ("Village <b>", [("1", "<script>x</script>"), ("2", 'Grid "2"')]),
    ]
    html = str(form["area"])
    assert html.startswith('<select name="area"') or 'name="area"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<optgroup label="Village &lt;b&gt;">' in html
    assert '<option value="2" selected>Grid &quot;2&quot;</option>' in html
    assert 'id="id_area"' in html and "required" in html
