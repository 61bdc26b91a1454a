"""What every app's forms share."""


def add_service_errors(form, exc):
    """Show a service's ValidationError on the form it came from: by field where the form has that field, else on
    top of the form (services raise both shapes: {"reason": [...]} and a plain message)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
