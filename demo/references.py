"""Published papers the demo posts cite. Identifiers were checked; unsure ones are left empty."""

from blog.markup import ref

HODI_2010 = ref(
    "Hodi FS, O'Day SJ, McDermott DF, et al. Improved survival with ipilimumab in patients with"
    " metastatic melanoma. N Engl J Med. 2010;363(8):711-723.",
    doi="10.1056/NEJMoa1003466",
    pmid="20525992",
)
RECK_2016 = ref(
    "Reck M, Rodríguez-Abreu D, Robinson AG, et al. Pembrolizumab versus chemotherapy for"
    " PD-L1-positive non-small-cell lung cancer. N Engl J Med. 2016;375(19):1823-1833.",
    doi="10.1056/NEJMoa1606774",
    pmid="27718847",
)
NLST_2011 = ref(
    "National Lung Screening Trial Research Team. Reduced lung-cancer mortality with low-dose"
    " computed tomographic screening. N Engl J Med. 2011;365(5):395-409.",
    doi="10.1056/NEJMoa1102873",
    pmid="21714641",
)
NELSON_2020 = ref(
    "de Koning HJ, van der Aalst CM, de Jong PA, et al. Reduced lung-cancer mortality with volume"
    " CT screening in a randomized trial. N Engl J Med. 2020;382(6):503-513.",
    doi="10.1056/NEJMoa1911793",
    pmid="31995683",
)
HANAHAN_2011 = ref(
    "Hanahan D, Weinberg RA. Hallmarks of cancer: the next generation. Cell. 2011;144(5):646-674.",
    doi="10.1016/j.cell.2011.02.013",
    pmid="21376230",
)
GLOBOCAN_2020 = ref(
    "Sung H, Ferlay J, Siegel RL, et al. Global cancer statistics 2020: GLOBOCAN estimates of"
    " incidence and mortality worldwide for 36 cancers in 185 countries. CA Cancer J Clin."
    " 2021;71(3):209-249.",
    doi="10.3322/caac.21660",
    pmid="33538338",
)
TEMEL_2010 = ref(
    "Temel JS, Greer JA, Muzikansky A, et al. Early palliative care for patients with metastatic"
    " non-small-cell lung cancer. N Engl J Med. 2010;363(8):733-742.",
    doi="10.1056/NEJMoa1000678",
    pmid="20818875",
)
BASCH_2016 = ref(
    "Basch E, Deal AM, Kris MG, et al. Symptom monitoring with patient-reported outcomes during"
    " routine cancer treatment: a randomized controlled trial. J Clin Oncol. 2016;34(6):557-565.",
    doi="10.1200/JCO.2015.63.0830",
)
RECIST_2009 = ref(
    "Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid"
    " tumours: revised RECIST guideline (version 1.1). Eur J Cancer. 2009;45(2):228-247.",
    doi="10.1016/j.ejca.2008.10.026",
    pmid="19097774",
)
CONSORT_2010 = ref(
    "Schulz KF, Altman DG, Moher D; CONSORT Group. CONSORT 2010 statement: updated guidelines for"
    " reporting parallel group randomised trials. BMJ. 2010;340:c332.",
    doi="10.1136/bmj.c332",
    pmid="20332509",
)
DENSE_2019 = ref(
    "Bakker MF, de Lange SV, Pijnappel RM, et al. Supplemental MRI screening for women with"
    " extremely dense breast tissue. N Engl J Med. 2019;381(22):2091-2102."
)
CTIS = ref(
    "European Medicines Agency. Clinical Trials Information System (CTIS): public search of"
    " clinical trials in the European Union and European Economic Area.",
    url="https://euclinicaltrials.eu/",
)
CLINICALTRIALS_GOV = ref(
    "US National Library of Medicine. ClinicalTrials.gov: a database of clinical studies"
    " worldwide.",
    url="https://clinicaltrials.gov/",
)
