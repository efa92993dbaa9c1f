"""A crispy-forms FormHelper for the NHS.UK template pack."""

from crispy_forms import helper as crispy_helper
from crispy_forms.utils import TEMPLATE_PACK

from nhsuk.layout import Size


class FormHelper(crispy_helper.FormHelper):
    """FormHelper that renders forms with NHS.UK frontend markup.

    Defaults: the ``nhsuk`` template pack, a ``<form method="post" novalidate>``
    tag with the CSRF token, and an NHS.UK error summary at the top of the
    form listing every error (non-field errors first, then each field's
    errors in order), each linking to the field: the input, the first radio
    or checkbox, or the day/month/year input that is wrong.

    Attributes (set them on the instance or in a subclass):
        error_summary (bool): show the error summary (default True). When
            False, non-field errors are shown as error messages instead.
        form_error_title (str): the summary's heading ("There is a problem").
        label_size / legend_size (str): default :class:`~nhsuk.layout.Size`
            for every label / legend; layout objects can override it.

    Example::

        class ContactForm(forms.Form):
            ...
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.helper = FormHelper(self)   # default layout, all fields
                self.helper.layout.append(Submit("save", "Save and continue"))
    """

    template_pack = "nhsuk"
    error_summary = True
    label_size = ""
    legend_size = ""

    def __init__(self, form=None):
        super().__init__(form)
        self.form_tag = True
        self.form_method = "post"

    def render_layout(self, form, context, template_pack=TEMPLATE_PACK):
        # Errors are reported by the server, in the NHS.UK style, so the
        # browser's own validation (the "required" attribute) is not used.
        form.use_required_attribute = False
        if self.label_size:
            context["label_size"] = Size.for_label(self.label_size)
        if self.legend_size:
            context["legend_size"] = Size.for_legend(self.legend_size)
        return super().render_layout(form, context, template_pack=template_pack)
