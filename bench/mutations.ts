// The writes scenario's mutations, sent as plain GraphQL over HTTP as an integrator would send
// them: one JSON POST each, on kept-alive connections, with a bearer token.
import { Agent, request as httpRequest } from 'node:http';
import { signToken } from '../server/auth/jwt.ts';
import { encodeGlobalId } from '../server/schema/globalId.ts';
import { type WriteTargets, bookingUsers } from './writeTargets.ts';

export type MutationName = 'updateBook' | 'createBooking';

const documents: Record<MutationName, string> = {
  updateBook: `mutation UpdateBook($id: ID!, $copies: Int!) {
    updateBook(id: $id, input: { copies: $copies }) { id copies }
  }`,
  createBooking: `mutation CreateBooking($input: CreateBookingInput!) {
    createBooking(input: $input) { id status }
  }`,
};

interface GraphqlAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Sends mutations to one server with at most `connections` requests in flight. */
export class MutationClient {
  private readonly url: string;
  private readonly agent: Agent;
  private readonly adminToken: string;
  private readonly userTokens: string[];
  private readonly targets: WriteTargets;

  private constructor(
    url: string,
    connections: number,
    tokens: { admin: string; users: string[] },
    targets: WriteTargets,
  ) {
    this.url = url;
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
    this.adminToken = tokens.admin;
    this.userTokens = tokens.users;
    this.targets = targets;
  }

  /**
   * A client for the server at `url`, with tokens signed by `jwtSecret`: an admin's for
   * updateBook, and one for each of `bookingUsers` users for createBooking.
   */
  static async create(
    url: string,
    connections: number,
    jwtSecret: string,
    targets: WriteTargets,
  ): Promise<MutationClient> {
    const admin = await signToken(jwtSecret, { sub: 'bench-admin', role: 'admin' });
    const users = await Promise.all(
      Array.from({ length: bookingUsers }, (_, n) =>
        signToken(jwtSecret, { sub: `bench-user-${n}`, role: 'user' }),
      ),
    );
    return new MutationClient(url, connections, { admin, users }, targets);
  }

  /** Sends the next mutation of its kind; rejects with the first error's code and message. */
  send(mutation: MutationName): Promise<void> {
    if (mutation === 'updateBook') {
      const { bookId, copies } = this.targets.nextUpdate();
      return this.post(
        documents.updateBook,
        { id: encodeGlobalId('Book', bookId), copies },
        this.adminToken,
      );
    }
    const booking = this.targets.nextBooking();
    return this.post(
      documents.createBooking,
      {
        input: {
          bookId: encodeGlobalId('Book', booking.bookId),
          startsAt: booking.startsAt.toISOString(),
          endsAt: booking.endsAt.toISOString(),
        },
      },
      this.userTokens[booking.user]!,
    );
  }

  close(): void {
    this.agent.destroy();
  }

  private post(query: string, variables: Record<string, unknown>, token: string): Promise<void> {
    const body = JSON.stringify({ query, variables });
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('error', reject);
          response.once('end', () => {
            const text = Buffer.concat(chunks).toString();
            let answer: GraphqlAnswer;
            try {
              answer = JSON.parse(text) as GraphqlAnswer;
            } catch {
              return reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
            }
            const error = answer.errors?.[0];
            if (error) {
              return reject(new Error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`));
            }
            if (response.statusCode !== 200)
              return reject(new Error(`HTTP ${response.statusCode}`));
            resolve();
          });
        },
      );
      request.once('error', reject);
      request.end(body);
    });
  }
}
