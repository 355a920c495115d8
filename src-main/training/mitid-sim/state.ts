// In-memory state of the MitID Erhverv simulator: identities, authenticators, signing flags and rights.
import { randomUUID } from 'node:crypto';

export interface SimAuthenticator {
  uuid: string;
  /** As listed: LocalIdentityProvider | PrivateMitId. */
  type: string;
  status: string;
  id: string | null;
}

export interface SimRight {
  roleUuid: string;
  scope: { type: 'Cvr' | 'PU' | 'SE'; value: string };
}

export interface SimIdentity {
  id: number;
  uuid: string;
  status: string;
  givenName: string;
  surname: string;
  emailAddress: string;
  cprNumber: string | null;
  rid: string | null;
  pseudonym: boolean;
  registeredIal: string;
  targetIal: string;
  /** Qualified signing eligibility: set at create. */
  allowQualifiedCertificateIssuance: boolean;
  /** Permission to sign on behalf of the organisation: PUT …/allowsigning. Deliberately separate. */
  allowSigning: boolean;
  authorizedToRepresent: boolean;
  adminRoles: string[];
  authenticators: SimAuthenticator[];
  rights: SimRight[];
  /** Epoch ms from which the search lists it (search lag); absent = at once. GET by uuid is not lagged. */
  visibleAt?: number;
}

export interface SimRole {
  uuid: string;
  name: string;
  description: string;
  isBasicPackage: boolean;
}

export interface SimProductionUnit {
  pNumber: string;
  cvrNumber: string;
  name: string;
  streetName: string;
  streetBuildingIdentifier: string;
}

export const defaultRoles: SimRole[] = [
  { uuid: '6d0b4b6e-6f6a-4c55-9d1e-2f1a7c1b0001', name: 'Grundpakke', description: 'Adgang til basale offentlige selvbetjeningsløsninger', isBasicPackage: true },
  { uuid: '6d0b4b6e-6f6a-4c55-9d1e-2f1a7c1b0002', name: 'Digital Post – læse', description: 'Læse organisationens Digital Post', isBasicPackage: false },
  { uuid: '6d0b4b6e-6f6a-4c55-9d1e-2f1a7c1b0003', name: 'Virk – indberetning', description: 'Indberette på vegne af organisationen', isBasicPackage: false },
];

export class MitIdSimState {
  readonly identities = new Map<string, SimIdentity>();
  roles: SimRole[] = defaultRoles.map((r) => ({ ...r }));
  seNumbers: string[] = ['29189846'];
  productionUnits: SimProductionUnit[] = [
    { pNumber: '1003384812', cvrNumber: '29189846', name: 'Træningskommune Rådhus', streetName: 'Rådhuspladsen', streetBuildingIdentifier: '1' },
    { pNumber: '1003384839', cvrNumber: '29189846', name: 'Træningskommune Jobcenter', streetName: 'Torvet', streetBuildingIdentifier: '7' },
  ];
  /** Creates applied through the API (seeding does not count): each one costs 20 DKK for real. */
  createCount = 0;
  private nextId = 1_000_000;

  all(): SimIdentity[] {
    return [...this.identities.values()];
  }

  get(uuid: string): SimIdentity | undefined {
    return this.identities.get(uuid.toLowerCase());
  }

  /** The identity holding this local credential; `case-insensitive` is how OS2faktor compares [I]. */
  findBySubjectNameId(subjectNameId: string, match: 'case-insensitive' | 'exact' = 'exact'): SimIdentity | undefined {
    const want = match === 'exact' ? subjectNameId : subjectNameId.toLowerCase();
    for (const i of this.identities.values()) {
      if (i.authenticators.some((a) => a.type === 'LocalIdentityProvider' && a.id !== null && (match === 'exact' ? a.id : a.id.toLowerCase()) === want)) return i;
    }
    return undefined;
  }

  /** What the search lists now: identities past their search lag. */
  searchable(now = Date.now()): SimIdentity[] {
    return this.all().filter((i) => i.visibleAt === undefined || i.visibleAt <= now);
  }

  findByCpr(cpr: string): SimIdentity | undefined {
    for (const i of this.identities.values()) if (i.cprNumber === cpr) return i;
    return undefined;
  }

  /** Insert an identity directly (seeding, tests); the API path goes through the server's checks. */
  insert(init: Partial<SimIdentity> & Pick<SimIdentity, 'givenName' | 'surname' | 'emailAddress'>): SimIdentity {
    const identity: SimIdentity = {
      id: this.nextId++,
      uuid: (init.uuid ?? randomUUID()).toLowerCase(),
      status: 'Active',
      cprNumber: null,
      rid: null,
      pseudonym: false,
      registeredIal: 'Substantial',
      targetIal: 'Substantial',
      allowQualifiedCertificateIssuance: false,
      allowSigning: false,
      authorizedToRepresent: false,
      adminRoles: [],
      authenticators: [],
      rights: [],
      ...init,
    };
    this.identities.set(identity.uuid, identity);
    return identity;
  }

  newAuthenticator(type: string, id: string | null, status = 'Active'): SimAuthenticator {
    return { uuid: randomUUID(), type, status, id };
  }

  clear(): void {
    this.identities.clear();
    this.createCount = 0;
  }

  /** A plain JSON snapshot (for a state file or a test's assertions). */
  snapshot(): { identities: SimIdentity[]; createCount: number } {
    return { identities: structuredClone(this.all()), createCount: this.createCount };
  }

  restore(snap: { identities: SimIdentity[]; createCount: number }): void {
    this.identities.clear();
    for (const i of snap.identities) {
      this.identities.set(i.uuid, structuredClone(i));
      this.nextId = Math.max(this.nextId, i.id + 1);
    }
    this.createCount = snap.createCount;
  }
}
