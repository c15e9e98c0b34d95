import numpy as np
import pytest

import cooperation as co


@pytest.fixture(scope="session")
def matching_pennies():
    return co.EvolutionaryGame(co.NormalFormGame.from_bimatrix(
        [[1, -1], [-1, 1]], [[-1, 1], [1, -1]], actions=[["H", "T"], ["H", "T"]]))


@pytest.fixture(scope="session")
def line_game():
    """A 2x2x2 game whose interior rest points form the line x = y = z.

    Player 1 earns 1 from action 0 when player 2 plays 0, and 1 from action 1
    when player 3 plays 0 (cyclically for players 2 and 3), so the payoff gains
    of the first action are g1 = y - z, g2 = z - x, g3 = x - y: the interior
    indifference system has rank 2 and the solution set {x = y = z = t, 0 < t < 1}.
    """
    U = np.zeros((3, 2, 2, 2))
    nxt = {0: (1, 2), 1: (2, 0), 2: (0, 1)}
    for a in np.ndindex(2, 2, 2):
        for i in range(3):
            j, k = nxt[i]
            U[(i,) + a] = float(a[j] == 0) if a[i] == 0 else float(a[k] == 0)
    return co.EvolutionaryGame(co.NormalFormGame.from_arrays(U))


@pytest.fixture(scope="session")
def xinan():
    from cooperation.evolutionary.io import load_evolutionary

    return load_evolutionary("data/xinan/evolutionary.toml")
