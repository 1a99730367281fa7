// Generated from openapi.json and asyncapi.json by `npm run generate`; do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready when the database is reachable and migrated */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange a username and password for a JWT */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a user (unless sign-up is turned off)
         * @description At most RATE_REGISTRATIONS per client address per RATE_REGISTRATIONS_WINDOW: 429 with `Retry-After`.
         */
        post: operations["registerUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller */
        get: operations["getCurrentUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All users of the room, active or not (not paginated) */
        get: operations["listRoomUsers"];
        put?: never;
        /** Add a member (room admins; anyone for themselves in a public room) */
        post: operations["addRoomUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/users/names": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ids and first names of the members */
        get: operations["listRoomUserNames"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's room user (the path holds the user's id) */
        get: operations["getRoomUser"];
        /** Set is_active (room admins) */
        put: operations["replaceRoomUser"];
        post?: never;
        /** Remove a member (room admins), or leave (the user); old messages keep their author */
        delete: operations["removeRoomUser"];
        options?: never;
        head?: never;
        /** Set is_active (room admins) */
        patch: operations["updateRoomUser"];
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Non-reaction messages, newest first
         * @description Paginated by limit/offset, or by cursor: `before=<id>` gives the messages just older than that one, `after=<id>` those just newer, newest first either way; the cost does not grow with history depth. `parent_id=<id>` gives that message's thread (its non-reaction replies). Replies also appear in the room-wide list. When a message is deleted its reactions go with it, while its replies stay with `parent_id` cleared.
         */
        get: operations["listMessages"];
        put?: never;
        /**
         * Send a message, a reply (parent_id) or a reaction (parent_id, is_reaction)
         * @description Posting in a public room makes the caller a member, with the room muted for them. Sending the same reaction to the same message again answers the existing one. With `client_id` the send is idempotent: a repeat by the same user (a retry after a timeout, or racing requests) answers `200` with the message or reaction first stored with that client_id, even if its body, room or parent differ, and stores and pushes nothing; `409` when that message is in a room the caller can no longer see. Once that message is deleted, its client_id may store a new one. Messages and reactions share one budget per user (RATE_MESSAGES_PER_SECOND, bursts of RATE_MESSAGES_BURST): over it, 429 with `Retry-After`.
         */
        post: operations["createMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/messages/seen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark messages of this room seen by the caller (idempotent) */
        post: operations["markMessagesSeen"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/messages/{messageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A message */
        get: operations["getMessage"];
        /** Edit the body (its author) */
        put: operations["replaceMessage"];
        post?: never;
        /** Delete it with its reactions and images (its author, or a room admin) */
        delete: operations["deleteMessage"];
        options?: never;
        head?: never;
        /** Edit the body (its author) */
        patch: operations["updateMessage"];
        trace?: never;
    };
    "/api/v1/chat/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search messages: best match first, then newest
         * @description Non-reaction messages matching `q` (PostgreSQL full-text search in the SEARCH_LANGUAGE configuration), from the rooms the caller is a member of; with `room_id`, from that room only, which may be any room the caller can see (a public room they have not joined too). Each result is a Message with `matches`: where the matched words are in its body.
         */
        get: operations["searchMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rooms the caller can see, newest activity first, with their counts for the caller */
        get: operations["listRooms"];
        put?: never;
        /** Create a room; the caller becomes its creator, admin and member */
        post: operations["createRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A room the caller can see */
        get: operations["getRoom"];
        /** Replace title, description, is_public and users (room admins) */
        put: operations["replaceRoom"];
        post?: never;
        /** Delete the room with its messages and images (room admins) */
        delete: operations["deleteRoom"];
        options?: never;
        head?: never;
        /** Change some of title, description, is_public and users (room admins) */
        patch: operations["updateRoom"];
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/mute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mute the room for the caller */
        post: operations["muteRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/unmute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unmute the room for the caller */
        post: operations["unmuteRoom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/admins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a member of the room one of its admins (room admins) */
        post: operations["addRoomAdmin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/admins/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take a user off the room admins; they stay a member; never the creator (room admins) */
        delete: operations["removeRoomAdmin"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your chat status: online, last seen, status line, and what is unseen over your rooms */
        get: operations["getUserChat"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set or clear your status line */
        patch: operations["updateUserChat"];
        trace?: never;
    };
    "/api/v1/chat/rooms/{roomId}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The room's change frames after `since`, oldest first (what a websocket resume replays) */
        get: operations["listRoomChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's own images, newest first */
        get: operations["listImages"];
        put?: never;
        /**
         * Attach an image to a message of the caller's, or to a new empty message in a room
         * @description Send `message_id` (a message of the caller's, not a reaction) or `room_id` (a room the caller can see: a new message of theirs with an empty body is created for the image, and posting makes them a member as for any message). The file is decoded: anything but a real JPEG, PNG, WebP or GIF is a 400 on `image`, whatever its name or content type. The stored image is re-encoded in its format with the EXIF orientation applied and all metadata (EXIF, GPS, XMP) removed; `width`/`height` are those of the oriented pixels (of one frame, for an animation) and `size` that of the stored file. Larger than MAX_UPLOAD_BYTES (10 MiB) or MAX_IMAGE_PIXELS (40 megapixels), or too costly to process (a palette PNG or GIF over MAX_PALETTE_PIXELS, or past IMAGE_TIMEOUT seconds): 413. Over RATE_UPLOADS per RATE_UPLOADS_WINDOW: 429; the image-processing queue full: 503; both with `Retry-After`. A `message_id` the caller cannot see is a 400; someone else's message a 403; a `room_id` the caller cannot see a 404.
         */
        post: operations["uploadImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/images/{imageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's images (anyone else's is not found) */
        get: operations["getImage"];
        /**
         * Move one of the caller's images to another message of theirs
         * @description The message must be the owner's and not a reaction. A message the image leaves with neither body nor images is deleted with it.
         */
        put: operations["replaceImage"];
        post?: never;
        /**
         * Delete one of the caller's images and its file
         * @description A message the image leaves with neither body nor images is deleted with it.
         */
        delete: operations["deleteImage"];
        options?: never;
        head?: never;
        /**
         * Move one of the caller's images to another message of theirs
         * @description The message must be the owner's and not a reaction. A message the image leaves with neither body nor images is deleted with it.
         */
        patch: operations["updateImage"];
        trace?: never;
    };
    "/media/images/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An image file, by the unguessable key in its URL (no authentication: the URL is the secret)
         * @description Served with its stored content type and cached for good (`Cache-Control: immutable`).
         */
        get: operations["getImageFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        HealthDto: {
            /** @enum {string} */
            status: "ok";
        };
        /**
         * @description Machine-readable code
         * @enum {string}
         */
        ErrorCode: "invalid" | "required" | "unknown_field" | "malformed_json" | "not_authenticated" | "invalid_credentials" | "permission_denied" | "signup_disabled" | "not_found" | "method_not_allowed" | "conflict" | "history_expired" | "payload_too_large" | "unsupported_media_type" | "throttled" | "service_unavailable" | "server_error";
        ErrorEntryDto: {
            /** @example title must not be empty */
            message: string;
            /**
             * @description Machine-readable code
             * @example invalid
             */
            code: components["schemas"]["ErrorCode"];
            /**
             * @description The request field at fault, when one is
             * @example title
             */
            field?: string;
        };
        ErrorResponseDto: {
            /** @description One entry per fault */
            errors: components["schemas"]["ErrorEntryDto"][];
        };
        TokenRequestDto: {
            username: string;
            password: string;
        };
        TokenDto: {
            /** @description A JWT (HS256) to send as `Authorization: Bearer <token>` */
            token: string;
        };
        RegisterUserDto: {
            /** @description Letters, digits and @ . + - _ */
            username: string;
            password: string;
            first_name?: string;
            email?: string;
        };
        UserDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /** @example alice */
            username: string;
            /**
             * @description May be empty
             * @example Alice
             */
            first_name: string;
            /**
             * @description May be empty
             * @example alice@example.com
             */
            email: string;
        };
        RoomUserDto: {
            /**
             * Format: uuid
             * @description The room-user id that messages point at (room_user_id)
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /**
             * Format: uuid
             * @description The user's id; null for the room's system sender
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            user_id: string | null;
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_id: string;
            /** @description Display name: first name, else username */
            name: string;
            /**
             * Format: uri-reference
             * @description Always null: users have no picture yet
             */
            image: string | null;
            /** @description Whether this is the caller; null for the system sender */
            is_me: boolean | null;
            is_online: boolean;
            /**
             * Format: date-time
             * @description When the user last went offline; null if never online
             * @example 2026-11-23T10:00:00.000Z
             */
            last_seen: string | null;
            /** @description The user's status line (see PATCH /api/v1/chat/me/), empty when none */
            status: string;
            /** @description false once the user left or was removed */
            is_active: boolean;
        };
        AddRoomUserDto: {
            /**
             * Format: uuid
             * @description The user to add
             */
            user_id: string;
        };
        RoomUserNameDto: {
            /**
             * Format: uuid
             * @description The user's id
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            first_name: string;
        };
        UpdateRoomUserDto: {
            is_active: boolean;
        };
        ImageDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            message_id: string;
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_id: string;
            /**
             * Format: uri-reference
             * @description URL of the stored file (unguessable; path-absolute unless PUBLIC_URL or MEDIA_BASE_URL is set)
             */
            image: string;
            /** @description Width in pixels, after EXIF orientation */
            width: number;
            /** @description Height in pixels, after EXIF orientation */
            height: number;
            /** @description The uploaded file name */
            name: string;
            /** @description Stored size in bytes */
            size: number;
            /**
             * Format: uri-reference
             * @description URL of a WebP of the image (its first frame, if animated) whose longer side is at most 320 px, never enlarged, with the aspect ratio kept; null for images uploaded before thumbnails were made
             */
            thumbnail: string | null;
            /** @description A tiny blurred WebP of the image as a data URI of at most 1024 characters, to show while the thumbnail loads; null for images uploaded before placeholders were made */
            placeholder: string | null;
        };
        ReactionCountDto: {
            /** @description The reaction, e.g. "+" or an emoji */
            body: string;
            /** @description How many reacted with it */
            count: number;
            /** @description Whether the caller is one of them */
            is_mine: boolean;
        };
        MessageDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            created: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            modified: string;
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_id: string;
            /**
             * Format: uuid
             * @description The author's room-user id
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_user_id: string;
            /**
             * Format: uuid
             * @description The author's user id; null for system messages
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            user_id: string | null;
            body: string;
            /**
             * Format: uuid
             * @description The message replied or reacted to
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            parent_id: string | null;
            is_reaction: boolean;
            /** @description The author's client_id sent with it (see POST messages/), null when none */
            client_id: string | null;
            /** @description Whether the caller wrote it; null for system messages */
            is_me: boolean | null;
            /** @description Whether the caller has seen it (their own messages count as seen) */
            is_seen_by_me: boolean;
            images: components["schemas"]["ImageDto"][];
            /** @description The latest reactions to this message (at most 100), oldest first */
            reactions: components["schemas"]["MessageDto"][];
            /** @description Every reaction body on this message with its count, most used first */
            reaction_counts: components["schemas"]["ReactionCountDto"][];
            /** @description User ids of the room members its body mentions as @username (members when it was stored or last edited) */
            mentions: string[];
        };
        MessagePageDto: {
            /**
             * @description All results, over every page
             * @example 1
             */
            count: number;
            /**
             * Format: uri
             * @description The next page
             * @example null
             */
            next: string | null;
            /**
             * Format: uri
             * @description The previous page
             * @example null
             */
            previous: string | null;
            results: components["schemas"]["MessageDto"][];
        };
        CreateMessageDto: {
            /** @description The text, at most MAX_MESSAGE_LENGTH (default 10,000) characters; for a reaction, the reaction itself (e.g. "+" or an emoji), at most 64 characters */
            body: string;
            /**
             * Format: uuid
             * @description Reply to, or react to, this message of the same room
             */
            parent_id?: string | null;
            /** @description Whether this is a reaction to parent_id (default false) */
            is_reaction?: boolean;
            /** @description The sender's own key for this send, unique per user: repeating a request with the same client_id answers the message (or reaction) first stored with it, with 200 instead of 201, and stores nothing. */
            client_id?: string | null;
        };
        SeenDto: {
            /** @description Ids of messages of this room to mark seen (at most MAX_SEEN_IDS) */
            message_ids: string[];
        };
        SeenResultDto: {
            /** @description The ids, among those sent, of messages of this room */
            message_ids: string[];
        };
        UpdateMessageDto: {
            /** @description The text, at most MAX_MESSAGE_LENGTH (default 10,000) characters; may be blank only for a message with images */
            body: string;
        };
        SearchResultDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            created: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            modified: string;
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_id: string;
            /**
             * Format: uuid
             * @description The author's room-user id
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_user_id: string;
            /**
             * Format: uuid
             * @description The author's user id; null for system messages
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            user_id: string | null;
            body: string;
            /**
             * Format: uuid
             * @description The message replied or reacted to
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            parent_id: string | null;
            is_reaction: boolean;
            /** @description The author's client_id sent with it (see POST messages/), null when none */
            client_id: string | null;
            /** @description Whether the caller wrote it; null for system messages */
            is_me: boolean | null;
            /** @description Whether the caller has seen it (their own messages count as seen) */
            is_seen_by_me: boolean;
            images: components["schemas"]["ImageDto"][];
            /** @description The latest reactions to this message (at most 100), oldest first */
            reactions: components["schemas"]["MessageDto"][];
            /** @description Every reaction body on this message with its count, most used first */
            reaction_counts: components["schemas"]["ReactionCountDto"][];
            /** @description User ids of the room members its body mentions as @username (members when it was stored or last edited) */
            mentions: string[];
            /**
             * @description Where the matched words are in `body`: `[start, end]` offsets in UTF-16 code units (as JavaScript indexes strings), end exclusive, in order
             * @example [
             *       [
             *         0,
             *         5
             *       ]
             *     ]
             */
            matches: number[][];
        };
        SearchResultPageDto: {
            /**
             * @description All results, over every page
             * @example 1
             */
            count: number;
            /**
             * Format: uri
             * @description The next page
             * @example null
             */
            next: string | null;
            /**
             * Format: uri
             * @description The previous page
             * @example null
             */
            previous: string | null;
            results: components["schemas"]["SearchResultDto"][];
        };
        RoomDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            created: string;
            /**
             * Format: date-time
             * @example 2026-11-23T10:00:00.000Z
             */
            modified: string;
            /**
             * Format: uuid
             * @description The creator's user id, or null
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            creator_id: string | null;
            title: string;
            description: string;
            is_public: boolean;
            /**
             * Format: uri-reference
             * @description URL of the room's picture, or null
             */
            image: string | null;
            /** @description User ids of the members */
            users: string[];
            /** @description User ids of the room's admins */
            admins: string[];
            /** @description Messages in the room, reactions not counted */
            message_total_count: number;
            /** @description Messages the caller has not seen (their own count as seen) */
            message_new_count: number;
            /** @description Messages mentioning the caller that they have not seen, counted even when the room is muted */
            mention_new_count: number;
            /** @description The newest non-reaction message */
            last_message: components["schemas"]["MessageDto"] | null;
            /** @description Whether the caller muted the room */
            is_muted: boolean;
        };
        RoomPageDto: {
            /**
             * @description All results, over every page
             * @example 1
             */
            count: number;
            /**
             * Format: uri
             * @description The next page
             * @example null
             */
            next: string | null;
            /**
             * Format: uri
             * @description The previous page
             * @example null
             */
            previous: string | null;
            results: components["schemas"]["RoomDto"][];
        };
        CreateRoomDto: {
            title: string;
            description?: string;
            /** @description Whether anyone may see and join it (default true) */
            is_public?: boolean;
            /** @description User ids to add as members */
            users?: string[];
        };
        UpdateRoomDto: {
            title?: string;
            description?: string;
            is_public?: boolean;
            /** @description The whole new member list: users not in it are removed, except admins */
            users?: string[];
        };
        AddRoomAdminDto: {
            /**
             * Format: uuid
             * @description A member of the room to make one of its admins
             */
            user_id: string;
        };
        UserChatDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            user_id: string;
            /** @description Whether a websocket of the user is open */
            is_online: boolean;
            /**
             * Format: date-time
             * @description When the user last went offline; null if never online
             * @example 2026-11-23T10:00:00.000Z
             */
            last_seen: string | null;
            /** @description Their status line, empty when none */
            status: string;
            /** @description Rooms of the caller with messages they have not seen (muted rooms left out) */
            rooms_with_new_messages: number;
            /** @description Messages the caller has not seen, over their rooms (muted rooms left out) */
            message_new_count: number;
            /** @description Messages mentioning the caller that they have not seen, over all their rooms */
            mention_new_count: number;
        };
        UpdateUserChatDto: {
            /** @description A status line shown next to the name in every room ("in a meeting"); "" clears it */
            status?: string;
        };
        DeletedMessageDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            id: string;
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_id: string;
        };
        ChangeFrameDto: {
            /**
             * Format: uuid
             * @example 8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11
             */
            room_id: string;
            /** @description The room's change number */
            seq: number;
            /** @description Messages created or changed (with their reactions and images) */
            messages: components["schemas"]["MessageDto"][];
            /** @description Members added, removed or changed */
            users: components["schemas"]["RoomUserDto"][];
            /** @description Messages deleted */
            deleted_messages?: components["schemas"]["DeletedMessageDto"][];
            /** @description The room, when it changed (title, admins, ...) */
            room?: components["schemas"]["RoomDto"];
            /**
             * @description The room was deleted, or the receiver lost access to it: their last frame of it
             * @enum {boolean}
             */
            deleted_room?: true;
        };
        ChangesPageDto: {
            /** @description The room's latest seq */
            seq: number;
            /** @description Change frames after `since`, oldest first */
            changes: components["schemas"]["ChangeFrameDto"][];
            /**
             * Format: uri
             * @description The next page, or null
             */
            next: string | null;
        };
        ImagePageDto: {
            /**
             * @description All results, over every page
             * @example 1
             */
            count: number;
            /**
             * Format: uri
             * @description The next page
             * @example null
             */
            next: string | null;
            /**
             * Format: uri
             * @description The previous page
             * @example null
             */
            previous: string | null;
            results: components["schemas"]["ImageDto"][];
        };
        MoveImageDto: {
            /**
             * Format: uuid
             * @description Another message of the owner's to move the image to
             */
            message_id: string;
        };
        /** @description A stored change of one room, numbered by its seq */
        ChangeFrame: components["schemas"]["ChangeFrameDto"];
        /** @description Members of a room going online or offline */
        PresenceFrame: {
            /** Format: uuid */
            room_id: string;
            messages: components["schemas"]["MessageDto"][];
            /** @description The members whose is_online or status changed */
            users: components["schemas"]["RoomUserDto"][];
        };
        /** @description Who is typing in a room */
        TypingFrame: {
            /** Format: uuid */
            room_id: string;
            typing: {
                /** Format: uuid */
                user_id: string;
                /** @description Their display name */
                name: string;
            }[];
        };
        /** @description The user marked messages seen (sent to the user's other connections) */
        SeenFrame: {
            /** Format: uuid */
            room_id: string;
            seen: {
                /** @description The messages marked seen */
                message_ids: string[];
                /** @description Messages of the room the user has still not seen */
                message_new_count: number;
                /** @description Of those, the messages that mention the user */
                mention_new_count: number;
            };
        };
        /** @description The answer to a typing or ping action */
        Ack: {
            /** @description The `ref` of the action answered */
            ack: string;
        };
        /** @description The message stored (or first stored with the same client_id) */
        SendAck: {
            /** @description The `ref` of the action answered */
            ack: string;
            message: components["schemas"]["MessageDto"];
        };
        /** @description The ids marked: only those of messages in the room count */
        SeenAck: {
            /** @description The `ref` of the action answered */
            ack: string;
            /** @description The ids marked seen */
            message_ids: string[];
        };
        /** @description The replay is complete */
        ResumeAck: {
            /** @description The `ref` of the action answered */
            ack: string;
            /** @description Rooms whose gap is older than what the server keeps: reload them over REST */
            resync: string[];
        };
        /** @description An action refused, with the REST error codes; the connection stays open */
        ErrorFrame: {
            error: components["schemas"]["ErrorEntryDto"] & {
                /** @description The `ref` of the action refused */
                ref: string | null;
            };
        };
        /** @description Send a message, a reply or a reaction */
        SendAction: {
            /** @constant */
            action: "send";
            /** @description The client's id for this action, echoed in its ack or error frame */
            ref: string;
            /** @description The text, at most MAX_MESSAGE_LENGTH (default 10,000) characters; for a reaction, the reaction itself (e.g. "+" or an emoji), at most 64 characters */
            body: string;
            /**
             * Format: uuid
             * @description Reply to, or react to, this message of the same room
             */
            parent_id?: string | null;
            /** @description Whether this is a reaction to parent_id (default false) */
            is_reaction?: boolean;
            /** @description The sender's own key for this send, unique per user: repeating a request with the same client_id answers the message (or reaction) first stored with it, with 200 instead of 201, and stores nothing. */
            client_id?: string | null;
            /** Format: uuid */
            room_id: string;
        };
        /** @description Mark messages seen */
        SeenAction: {
            /** @constant */
            action: "seen";
            /** @description The client's id for this action, echoed in its ack or error frame */
            ref: string;
            /** @description Ids of messages of this room to mark seen (at most MAX_SEEN_IDS) */
            message_ids: string[];
            /** Format: uuid */
            room_id: string;
        };
        /** @description Say the user is typing in a room */
        TypingAction: {
            /** @constant */
            action: "typing";
            /** @description The client's id for this action, echoed in its ack or error frame */
            ref: string;
            /** Format: uuid */
            room_id: string;
        };
        /** @description Catch up after a reconnect (send it first) */
        ResumeAction: {
            /** @constant */
            action: "resume";
            /** @description The client's id for this action, echoed in its ack or error frame */
            ref: string;
            /** @description Room id → the last seq the client applied in that room (0 for none) */
            rooms: {
                [key: string]: number;
            };
        };
        /** @description Check the connection */
        PingAction: {
            /** @constant */
            action: "ping";
            /** @description The client's id for this action, echoed in its ack or error frame */
            ref: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again (code `throttled`) */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    registerUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Conflicts with existing data (code `conflict`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again (code `throttled`) */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getCurrentUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    listRoomUsers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUserDto"][];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    addRoomUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddRoomUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUserDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    listRoomUserNames: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUserNameDto"][];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getRoomUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUserDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    replaceRoomUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoomUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUserDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    removeRoomUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    updateRoomUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoomUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomUserDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    listMessages: {
        parameters: {
            query?: {
                /** @description Results per page (default 50); more than 200 is lowered to 200 */
                limit?: number;
                /** @description Results to skip (default 0) */
                offset?: number;
                /** @description Messages just older than this one, newest first */
                before?: string;
                /** @description Messages just newer than this one, newest first */
                after?: string;
                /** @description This message's thread: its non-reaction replies */
                parent_id?: string;
            };
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagePageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    createMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMessageDto"];
            };
        };
        responses: {
            /** @description A repeat of a client_id: the message it stored first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageDto"];
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Conflicts with existing data (code `conflict`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /**
             * @description Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again (code `throttled`)
             *
             *     Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again (code `throttled`)
             */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    markMessagesSeen: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SeenDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SeenResultDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                messageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    replaceMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                messageId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMessageDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    deleteMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                messageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    updateMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                messageId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMessageDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    searchMessages: {
        parameters: {
            query: {
                /** @description Results per page (default 50); more than 200 is lowered to 200 */
                limit?: number;
                /** @description Results to skip (default 0) */
                offset?: number;
                /** @description The words to find (web search syntax: `"a phrase"`, `or`, `-excluded`), matched by PostgreSQL full-text search in the SEARCH_LANGUAGE configuration; at most 256 characters */
                q: string;
                /** @description Search only this room: one the caller is a member of, or any public room */
                room_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResultPageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    listRooms: {
        parameters: {
            query?: {
                /** @description Results per page (default 50); more than 200 is lowered to 200 */
                limit?: number;
                /** @description Results to skip (default 0) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomPageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    createRoom: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRoomDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    replaceRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoomDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    deleteRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    updateRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoomDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    muteRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    unmuteRoom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    addRoomAdmin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddRoomAdminDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoomDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    removeRoomAdmin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                roomId: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getUserChat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserChatDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    updateUserChat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserChatDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserChatDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    listRoomChanges: {
        parameters: {
            query?: {
                /** @description The last seq the client applied (default 0: from the start); the changes after it are answered */
                since?: number;
                /** @description Changes per page (default 100); more than 500 is lowered to 500 */
                limit?: number;
            };
            header?: never;
            path: {
                roomId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangesPageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Gone: no longer kept (code `history_expired`) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    listImages: {
        parameters: {
            query?: {
                /** @description Results per page (default 50); more than 200 is lowered to 200 */
                limit?: number;
                /** @description Results to skip (default 0) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImagePageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    uploadImage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The image, and either message_id or room_id */
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description A JPEG, PNG, WebP or GIF image (what the bytes are decides, not the name or content type), at most MAX_UPLOAD_BYTES bytes and MAX_IMAGE_PIXELS pixels
                     */
                    image: Blob;
                    /**
                     * Format: uuid
                     * @description Attach to this message of the caller's
                     */
                    message_id?: string;
                    /**
                     * Format: uuid
                     * @description Attach to a new, empty message of the caller's in this room (when no message_id is given)
                     */
                    room_id?: string;
                };
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Over a rate limit (code `throttled`); `Retry-After` says in how many seconds to try again (code `throttled`) */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    replaceImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                imageId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MoveImageDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    deleteImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    updateImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                imageId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MoveImageDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageDto"];
                };
            };
            /** @description Invalid input; `field` names the offending field (code `invalid`, `required`, `unknown_field`, `malformed_json`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, expired or invalid token (code `not_authenticated`, `invalid_credentials`) */
            401: {
                headers: {
                    /** @description The scheme to authenticate with: `Bearer` */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Visible, but the caller may not do this (code `permission_denied`, `signup_disabled`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Request body or upload too large (code `payload_too_large`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The request body is neither JSON nor, where an upload is taken, multipart/form-data (code `unsupported_media_type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    getImageFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file, in its stored format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": Blob;
                    "image/png": Blob;
                    "image/webp": Blob;
                    "image/gif": Blob;
                };
            };
            /** @description Not found, or not visible to the caller (code `not_found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Busy for now, or the database cannot be reached; `Retry-After` says in how many seconds to try again (code `service_unavailable`) */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
}
