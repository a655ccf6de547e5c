from .identity import current_identity


def ward(request):
    """`ward`: the ward's identity row for the navbar, titles and footer (None until the office fills it
    in: templates then show a neutral brand). `ward_missing`: whether the office should be asked to."""
    from .identity import missing_identity_fields

    identity = current_identity()
    return {"ward": identity, "ward_missing": bool(missing_identity_fields(identity))}
