def test_personas_have_their_roles(world):
    from lvshi.orgs import scope

    assert scope.has_role_at(world.lawyer, world.firm, "lawyer")
    assert not scope.has_role_at(world.officer, world.other_centre, "officer")
    assert scope.has_role_at(world.authority_officer, world.centre, "authority_officer")
    assert scope.requires_two_factor(world.officer)
    assert not scope.requires_two_factor(world.lawyer)
